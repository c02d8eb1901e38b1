import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Input, Button as TaroButton } from '@tarojs/components';
import { Button, Popup } from '@nutui/nutui-react-taro';
import { api, type ApiError } from '../../api/client';
import type { ShareCreated } from '../../api/types';
import { digitsOnly } from '../../lib/input';
import { useSingleFlight } from '../../lib/use-single-flight';
import { EXPIRY_CHOICES, reportTime } from './labels';

interface Props {
  reportId: string;
  visible: boolean;
  onClose: () => void;
  /** The share just made, for the weapp share card. */
  onCreated: (s: ShareCreated) => void;
}

/** 分享给家人: choose how long the link lasts and an optional code, then copy or send it. */
export function ShareSheet({ reportId, visible, onClose, onCreated }: Props) {
  const [hours, setHours] = useState<number>(72);
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [made, setMade] = useState<ShareCreated>();
  const codeInvalid = code !== '' && !/^\d{4,6}$/.test(code);

  const [create, creating] = useSingleFlight(async () => {
    if (codeInvalid) return setError('提取码应为4-6位数字');
    setError('');
    try {
      const s = await api.reports.share(reportId, { expiresInHours: hours, accessCode: code || undefined });
      setMade(s);
      onCreated(s);
    } catch (e) {
      setError((e as ApiError).message);
    }
  });
  const copy = () =>
    void Taro.setClipboardData({ data: made!.url }).then(() => Taro.showToast({ title: '链接已复制', icon: 'none' }));
  const close = () => {
    setMade(undefined);
    setCode('');
    setError('');
    onClose();
  };

  return (
    <Popup
      visible={visible}
      position='bottom'
      round
      closeable
      onClose={close}
      className='share-sheet'
      title='分享给家人'
    >
      <View className='share-sheet__body'>
        {!made ? (
          <>
            <Text className='share-sheet__label'>链接有效期</Text>
            <View className='share-sheet__choices' role='radiogroup'>
              {EXPIRY_CHOICES.map((c) => (
                <View
                  key={c.hours}
                  role='radio'
                  aria-checked={hours === c.hours}
                  className={`reports__chip ${hours === c.hours ? 'is-active' : ''}`}
                  onClick={() => setHours(c.hours)}
                >
                  {c.label}
                </View>
              ))}
            </View>
            <Text className='share-sheet__label'>提取码（可选）</Text>
            <Input
              className='share-sheet__input'
              type='number'
              maxlength={6}
              value={code}
              placeholder='4-6位数字，家人查看时需输入'
              onInput={(e) => setCode(digitsOnly(6)(e.detail.value))}
            />
            <View className='share-sheet__error' role='alert'>
              {error || (codeInvalid ? '提取码应为4-6位数字' : '')}
            </View>
            <Text className='muted share-sheet__note'>
              家人打开链接无需登录，看到的姓名已隐去部分，不含身份证号和手机号。您可随时撤销。
            </Text>
            <Button type='primary' size='large' block loading={creating} onClick={() => void create()}>
              生成分享链接
            </Button>
          </>
        ) : (
          <>
            <Text className='share-sheet__done'>分享链接已生成</Text>
            <Text className='share-sheet__url' userSelect>
              {made.url}
            </Text>
            <Text className='muted'>有效期至 {reportTime(made.expiresAt)}</Text>
            {made.hasAccessCode && <Text className='muted'>请另行把提取码告诉家人，不要和链接放在一起发送。</Text>}
            <View className='actions'>
              <Button type='primary' size='large' block onClick={copy}>
                复制链接
              </Button>
              {process.env.TARO_ENV === 'weapp' && (
                <TaroButton className='share-sheet__wechat' openType='share'>
                  发送给微信好友
                </TaroButton>
              )}
              <Button size='large' block onClick={close}>
                完成
              </Button>
            </View>
          </>
        )}
      </View>
    </Popup>
  );
}
