import { useState } from 'react';
import { App, Button, Card, Col, Descriptions, Form, Input, Modal, Row, Tag } from 'antd';
import { passwordChange } from '@common/console/forms';
import { TOTP_REQUIRED_ROLES } from '@common/console/roles';
import { ApiError, post } from '../api';
import { showServerErrors, validate } from '../forms';
import { ROLE_LABELS, shTime } from '../labels';
import { useSession, useStaff } from '../session';
import type { ConsoleSession, Enrolled } from '../types';
import { Enrolment, RecoveryCodes } from './enrolment';

/** 我的账号: the signed-in account, a new password, and optional TOTP for nurses and experts. */
export default function AccountPage() {
  const staff = useStaff();
  const { session, set } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [enrolling, setEnrolling] = useState(false);
  const [codes, setCodes] = useState<string[]>();

  const change = async (values: unknown) => {
    const body = validate(passwordChange, form, values);
    if (!body) return;
    setBusy(true);
    try {
      set(await post<ConsoleSession>('/auth/password', body));
      form.resetFields();
      message.success('密码已修改，其他设备上的登录已退出');
    } catch (err) {
      if (!showServerErrors(err, form))
        form.setFields([{ name: 'currentPassword', errors: [(err as ApiError).message] }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Row gutter={16}>
      <Col span={12}>
        <Card title='我的账号'>
          <Descriptions column={1} size='small'>
            <Descriptions.Item label='用户名'>{staff.username}</Descriptions.Item>
            <Descriptions.Item label='姓名'>{staff.displayName}</Descriptions.Item>
            <Descriptions.Item label='角色'>{ROLE_LABELS[staff.role]}</Descriptions.Item>
            <Descriptions.Item label='医院'>
              {staff.role === 'platform_admin' ? '全部医院' : staff.hospitals.map((h) => h.name).join('、')}
            </Descriptions.Item>
            <Descriptions.Item label='动态验证码'>
              {staff.totpEnabled ? <Tag color='green'>已绑定</Tag> : <Tag>未绑定</Tag>}
              {!staff.totpEnabled && !TOTP_REQUIRED_ROLES.includes(staff.role) && (
                <Button size='small' type='link' onClick={() => setEnrolling(true)}>
                  绑定（推荐）
                </Button>
              )}
            </Descriptions.Item>
            <Descriptions.Item label='本次登录有效至'>{shTime(session?.expiresAt)}</Descriptions.Item>
            <Descriptions.Item label='无操作自动退出'>
              {Math.round((session?.idleTimeoutSec ?? 0) / 60)} 分钟
            </Descriptions.Item>
          </Descriptions>
        </Card>
      </Col>
      <Col span={12}>
        <Card title='修改密码'>
          <Form form={form} layout='vertical' onFinish={change} requiredMark={false}>
            <Form.Item name='currentPassword' label='当前密码'>
              <Input.Password autoComplete='current-password' />
            </Form.Item>
            <Form.Item name='newPassword' label='新密码' extra='至少10位，须同时包含字母和数字'>
              <Input.Password autoComplete='new-password' />
            </Form.Item>
            <Button type='primary' htmlType='submit' loading={busy}>
              修改密码
            </Button>
          </Form>
        </Card>
      </Col>
      <Modal
        open={enrolling}
        title={codes ? '保存恢复码' : '绑定动态验证码'}
        footer={null}
        onCancel={() => setEnrolling(false)}
        destroyOnHidden
      >
        {codes ? (
          <RecoveryCodes
            codes={codes}
            onContinue={() => {
              setCodes(undefined);
              setEnrolling(false);
            }}
          />
        ) : (
          <Enrolment
            onDone={(r: Enrolled) => {
              setCodes(r.recoveryCodes);
              set(r);
            }}
          />
        )}
      </Modal>
    </Row>
  );
}
