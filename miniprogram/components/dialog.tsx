import { useCallback, useState, type ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { Button, Dialog } from '@nutui/nutui-react-taro';
import './dialog.css';

export interface Question {
  title: string;
  content?: string;
  /** Names the action (「确认取消预约」), never a bare 确定. */
  confirmText: string;
  /** The way out (「再想想」); none for a message that only needs acknowledging. */
  cancelText?: string;
  /** Red confirm button, for actions that delete or cancel something. */
  destructive?: boolean;
}

/**
 * Confirmation dialogs that look the same in weapp and H5 (WeChat's own modal
 * allows only four characters on its buttons and paints them green). Render
 * `dialog` once in the page; `confirm` resolves true when the action was chosen.
 */
export function useDialog(): {
  dialog: ReactNode;
  confirm: (q: Question) => Promise<boolean>;
  alert: (q: Omit<Question, 'cancelText' | 'destructive'>) => Promise<void>;
} {
  const [open, setOpen] = useState<(Question & { resolve: (ok: boolean) => void }) | null>(null);
  const confirm = useCallback((q: Question) => new Promise<boolean>((resolve) => setOpen({ ...q, resolve })), []);
  const alert = useCallback(
    async (q: Omit<Question, 'cancelText' | 'destructive'>) => void (await confirm({ ...q, cancelText: undefined })),
    [confirm],
  );
  const close = (ok: boolean) => {
    open?.resolve(ok);
    setOpen(null);
  };

  const dialog = (
    <Dialog
      className='yl-dialog'
      visible={open !== null}
      title={open?.title}
      closeOnOverlayClick={false}
      onClose={() => close(false)}
      footer={
        <View className='yl-dialog__actions'>
          {open?.cancelText && (
            <Button className='yl-dialog__button' size='large' onClick={() => close(false)}>
              {open.cancelText}
            </Button>
          )}
          <Button
            className='yl-dialog__button'
            size='large'
            type={open?.destructive ? 'danger' : 'primary'}
            onClick={() => close(true)}
          >
            {open?.confirmText ?? ''}
          </Button>
        </View>
      }
    >
      {open?.content && <Text className='yl-dialog__text'>{open.content}</Text>}
    </Dialog>
  );
  return { dialog, confirm, alert };
}
