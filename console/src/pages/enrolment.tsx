import { useEffect, useState } from 'react';
import { Alert, Button, Form, Input, Space, Typography } from 'antd';
import { totpConfirm } from '@common/console/forms';
import { ApiError, post } from '../api';
import { showServerErrors, validate } from '../forms';
import type { Enrolled, TotpEnrolment } from '../types';

/** TOTP enrolment: the QR code and the secret for typing, then a first code; answers the recovery codes. */
export function Enrolment({ onDone }: { onDone: (r: Enrolled) => void }) {
  const [form] = Form.useForm();
  const [data, setData] = useState<TotpEnrolment>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    post<TotpEnrolment>('/auth/totp/enrolment').then(setData, (e: Error) => setError(e.message));
  }, []);

  const submit = async (values: unknown) => {
    const body = validate(totpConfirm, form, values);
    if (!body) return;
    setBusy(true);
    try {
      onDone(await post<Enrolled>('/auth/totp/enrolment/confirm', body));
    } catch (err) {
      if (!showServerErrors(err, form)) form.setFields([{ name: 'code', errors: [(err as ApiError).message] }]);
    } finally {
      setBusy(false);
    }
  };

  if (error) return <Alert type='error' showIcon message={error} />;
  return (
    <Space direction='vertical' size='middle' style={{ width: '100%' }}>
      <Typography.Paragraph style={{ margin: 0 }}>
        请用手机上的身份验证器（如 Microsoft Authenticator、Google 身份验证器、阿里云
        App）扫描二维码，然后输入显示的6位验证码。
      </Typography.Paragraph>
      <div style={{ textAlign: 'center' }}>
        {data ? (
          <img src={data.qrCode} alt='动态验证码二维码' width={180} height={180} data-testid='totp-qr' />
        ) : (
          <div style={{ height: 180 }} />
        )}
      </div>
      <Typography.Text type='secondary'>
        无法扫码时，手动输入密钥：
        <Typography.Text code copyable data-testid='totp-secret'>
          {data?.secret}
        </Typography.Text>
      </Typography.Text>
      <Form form={form} layout='vertical' onFinish={submit} requiredMark={false}>
        <Form.Item name='code' label='6位验证码'>
          <Input
            size='large'
            maxLength={6}
            inputMode='numeric'
            autoComplete='one-time-code'
            placeholder='请输入6位验证码'
          />
        </Form.Item>
        <Button type='primary' htmlType='submit' block size='large' loading={busy} disabled={!data}>
          完成绑定
        </Button>
      </Form>
    </Space>
  );
}

/** Shown once after enrolment: the ten recovery codes. */
export function RecoveryCodes({ codes, onContinue }: { codes: string[]; onContinue: () => void }) {
  return (
    <Space direction='vertical' size='middle' style={{ width: '100%' }}>
      <Alert
        type='warning'
        showIcon
        message='请妥善保存恢复码'
        description='手机丢失时，可用恢复码代替动态验证码登录。每个恢复码只能使用一次，且只显示这一次。'
      />
      <div
        data-testid='recovery-codes'
        style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8, fontFamily: 'monospace', fontSize: 15 }}
      >
        {codes.map((c) => (
          <Typography.Text key={c} code>
            {c}
          </Typography.Text>
        ))}
      </div>
      <Typography.Text copyable={{ text: codes.join('\n'), tooltips: ['复制全部', '已复制'] }}>
        复制全部恢复码
      </Typography.Text>
      <Button type='primary' block size='large' onClick={onContinue}>
        我已保存，继续
      </Button>
    </Space>
  );
}
