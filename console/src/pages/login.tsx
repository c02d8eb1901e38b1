import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, MedicineBoxOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { loginForm, passwordChange, recoveryCode, totpCode } from '@common/console/forms';
import { z } from 'zod';
import { ApiError, post } from '../api';
import { showServerErrors, validate } from '../forms';
import { useSession } from '../session';
import type { ConsoleSession, Enrolled } from '../types';
import { Enrolment, RecoveryCodes } from './enrolment';

const TITLES: Record<string, string> = {
  password: '登录',
  totp: '动态验证码',
  enrol: '绑定动态验证码',
  recovery: '保存恢复码',
  newPassword: '设置新密码',
};

/**
 * 登录: password, then by role and account the TOTP step (or a recovery
 * code), first-time TOTP enrolment with its recovery codes, and replacing a
 * one-time password. Each step's answer says what comes next.
 */
export function LoginPage() {
  const { session, set, endedBecause, recoveryCodes: codes, setRecoveryCodes: setCodes } = useSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  const step = codes ? 'recovery' : session?.stage === 'password' ? 'newPassword' : (session?.stage ?? 'password');

  const advance = (s: ConsoleSession) => {
    set(s);
    if (s.stage === 'active') navigate(from, { replace: true });
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(135deg, #e6f4ff 0%, #f0f5ff 50%, #f9f0ff 100%)',
      }}
    >
      <div style={{ width: 420 }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <MedicineBoxOutlined style={{ fontSize: 40, color: '#1677ff' }} />
          <Typography.Title level={3} style={{ margin: '8px 0 0' }}>
            医联云健康 · 管理控制台
          </Typography.Title>
          <Typography.Text type='secondary'>医院与平台工作人员使用</Typography.Text>
        </div>
        <Card title={TITLES[step]}>
          {step === 'password' && <PasswordStep onDone={advance} notice={endedBecause} />}
          {step === 'totp' && <TotpStep onDone={advance} />}
          {step === 'enrol' && (
            <Enrolment
              onDone={(r: Enrolled) => {
                setCodes(r.recoveryCodes);
                set(r);
              }}
            />
          )}
          {step === 'recovery' && (
            <RecoveryCodes
              codes={codes!}
              onContinue={() => {
                setCodes(null);
                if (session?.stage === 'active') navigate(from, { replace: true });
              }}
            />
          )}
          {step === 'newPassword' && <NewPasswordStep onDone={advance} />}
        </Card>
      </div>
    </div>
  );
}

function PasswordStep({ onDone, notice }: { onDone: (s: ConsoleSession) => void; notice: string | null }) {
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (values: unknown) => {
    const body = validate(loginForm, form, values);
    if (!body) return;
    setBusy(true);
    setError(undefined);
    try {
      onDone(await post<ConsoleSession>('/auth/login', body));
    } catch (err) {
      if (!showServerErrors(err, form)) setError((err as ApiError).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout='vertical' onFinish={submit} requiredMark={false}>
      {notice && <Alert type='info' showIcon message={notice} style={{ marginBottom: 16 }} />}
      {error && <Alert type='error' showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form.Item name='username' label='用户名'>
        <Input size='large' prefix={<UserOutlined />} placeholder='请输入用户名' autoComplete='username' />
      </Form.Item>
      <Form.Item name='password' label='密码'>
        <Input.Password
          size='large'
          prefix={<LockOutlined />}
          placeholder='请输入密码'
          autoComplete='current-password'
        />
      </Form.Item>
      <Button type='primary' htmlType='submit' block size='large' loading={busy}>
        登录
      </Button>
    </Form>
  );
}

const codeForm = z.strictObject({ code: totpCode });
const recoveryForm = z.strictObject({ recoveryCode });

function TotpStep({ onDone }: { onDone: (s: ConsoleSession) => void }) {
  const [form] = Form.useForm();
  const [useRecovery, setUseRecovery] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (values: unknown) => {
    const body = useRecovery ? validate(recoveryForm, form, values) : validate(codeForm, form, values);
    if (!body) return;
    setBusy(true);
    try {
      onDone(await post<ConsoleSession>('/auth/totp', body));
    } catch (err) {
      const field = useRecovery ? 'recoveryCode' : 'code';
      if (!showServerErrors(err, form)) form.setFields([{ name: field, errors: [(err as ApiError).message] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout='vertical' onFinish={submit} requiredMark={false}>
      <Typography.Paragraph type='secondary'>
        {useRecovery ? '请输入一个未使用过的恢复码。' : '请打开手机上的身份验证器，输入当前显示的6位验证码。'}
      </Typography.Paragraph>
      {useRecovery ? (
        <Form.Item name='recoveryCode' label='恢复码'>
          <Input size='large' placeholder='xxxx-xxxx-xxxx-xxxx' />
        </Form.Item>
      ) : (
        <Form.Item name='code' label='6位验证码'>
          <Input
            size='large'
            prefix={<SafetyOutlined />}
            maxLength={6}
            inputMode='numeric'
            autoComplete='one-time-code'
            placeholder='请输入6位验证码'
            autoFocus
          />
        </Form.Item>
      )}
      <Button type='primary' htmlType='submit' block size='large' loading={busy}>
        验证
      </Button>
      <Button type='link' block onClick={() => setUseRecovery(!useRecovery)} style={{ marginTop: 8 }}>
        {useRecovery ? '使用动态验证码' : '手机不在身边？使用恢复码'}
      </Button>
    </Form>
  );
}

function NewPasswordStep({ onDone }: { onDone: (s: ConsoleSession) => void }) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async (values: unknown) => {
    const body = validate(passwordChange, form, values);
    if (!body) return;
    setBusy(true);
    try {
      onDone(await post<ConsoleSession>('/auth/password', body));
    } catch (err) {
      if (!showServerErrors(err, form))
        form.setFields([{ name: 'currentPassword', errors: [(err as ApiError).message] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout='vertical' onFinish={submit} requiredMark={false}>
      <Alert
        type='info'
        showIcon
        message='首次登录或密码已被重置，请设置新密码（至少10位，含字母和数字）。'
        style={{ marginBottom: 16 }}
      />
      <Form.Item name='currentPassword' label='当前密码（一次性密码）'>
        <Input.Password size='large' autoComplete='current-password' />
      </Form.Item>
      <Form.Item name='newPassword' label='新密码'>
        <Input.Password size='large' autoComplete='new-password' />
      </Form.Item>
      <Button type='primary' htmlType='submit' block size='large' loading={busy}>
        保存新密码
      </Button>
    </Form>
  );
}
