import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { createStaff, updateStaff } from '@common/console/forms';
import { HOSPITAL_STAFF_ROLES, STAFF_ROLES } from '@common/console/roles';
import { get, post, put } from '../api';
import { showServerErrors, validate } from '../forms';
import { useHospitals, useLoad } from '../hooks';
import { ROLE_LABELS, shTime } from '../labels';
import { useStaff } from '../session';
import type { Hospital, Page, StaffAccount, StaffWithPassword } from '../types';

/** 人员与权限: accounts, roles and hospitals; reset password or TOTP; disable. */
export default function StaffPage() {
  const me = useStaff();
  const { message, modal } = App.useApp();
  const hospitals = useHospitals();
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const list = useLoad(() => get<Page<StaffAccount>>('/staff', { q, page, pageSize: 20 }), [q, page]);
  const [editing, setEditing] = useState<StaffAccount | 'new'>();

  const showPassword = (r: StaffWithPassword, what: string) =>
    modal.success({
      title: `${what}：${r.staff.username}`,
      content: (
        <Space direction='vertical'>
          <span>一次性密码（仅显示这一次，请通过安全渠道告知本人；首次登录须修改）：</span>
          <Typography.Text code copyable style={{ fontSize: 18 }} data-testid='one-time-password'>
            {r.oneTimePassword}
          </Typography.Text>
        </Space>
      ),
      okText: '我已记下',
    });

  const act = async (path: string, done: string) => {
    try {
      const r = await post<StaffWithPassword | StaffAccount>(path);
      if ('oneTimePassword' in r) showPassword(r, done);
      else message.success(done);
      void list.reload();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <Card
      title='人员与权限'
      extra={
        <Space>
          <Input.Search
            placeholder='用户名或姓名'
            allowClear
            onSearch={(v) => (setPage(1), setQ(v))}
            style={{ width: 220 }}
          />
          <Button type='primary' icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            新建账号
          </Button>
        </Space>
      }
      styles={{ body: { padding: 0 } }}
    >
      <Table<StaffAccount>
        rowKey='id'
        loading={list.loading}
        dataSource={list.data?.items}
        size='middle'
        pagination={{ current: page, total: list.data?.total, pageSize: 20, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: '用户名', dataIndex: 'username', width: 150 },
          { title: '姓名', dataIndex: 'displayName', width: 130 },
          {
            title: '角色',
            dataIndex: 'role',
            width: 110,
            render: (v: StaffAccount['role']) => (
              <Tag color={v.endsWith('admin') ? 'blue' : 'default'}>{ROLE_LABELS[v]}</Tag>
            ),
          },
          {
            title: '医院',
            key: 'h',
            ellipsis: true,
            render: (_: unknown, s) =>
              s.role === 'platform_admin' ? '全部医院' : s.hospitals.map((h) => h.name).join('、'),
          },
          {
            title: '动态验证码',
            dataIndex: 'totpEnabled',
            width: 100,
            render: (v: boolean) => (v ? <Tag color='green'>已绑定</Tag> : <Tag>未绑定</Tag>),
          },
          {
            title: '状态',
            key: 'st',
            width: 90,
            render: (_: unknown, s) =>
              s.disabled ? (
                <Tag color='red'>已停用</Tag>
              ) : s.isDemo ? (
                <Tag color='orange'>演示</Tag>
              ) : (
                <Tag color='green'>正常</Tag>
              ),
          },
          { title: '最近登录', dataIndex: 'lastLoginAt', width: 140, render: (v: string | null) => shTime(v) },
          {
            title: '操作',
            key: 'op',
            width: 300,
            render: (_: unknown, s) => (
              <Space size={4} wrap>
                <Button size='small' onClick={() => setEditing(s)}>
                  编辑
                </Button>
                <Popconfirm
                  title='重置后原密码失效并生成一次性密码，确定？'
                  onConfirm={() => act(`/staff/${s.id}/reset-password`, '密码已重置')}
                >
                  <Button size='small'>重置密码</Button>
                </Popconfirm>
                <Popconfirm
                  title='重置后须重新绑定动态验证码，确定？'
                  disabled={!s.totpEnabled}
                  onConfirm={() => act(`/staff/${s.id}/reset-totp`, '动态验证码已重置')}
                >
                  <Button size='small' disabled={!s.totpEnabled}>
                    重置验证码
                  </Button>
                </Popconfirm>
                {s.disabled ? (
                  <Button size='small' onClick={() => act(`/staff/${s.id}/enable`, '账号已启用')}>
                    启用
                  </Button>
                ) : (
                  <Popconfirm
                    title='停用后该账号立即退出且无法登录，确定？'
                    onConfirm={() => act(`/staff/${s.id}/disable`, '账号已停用')}
                  >
                    <Button size='small' danger disabled={s.id === me.id}>
                      停用
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <StaffModal
          account={editing === 'new' ? undefined : editing}
          hospitals={hospitals.data ?? []}
          platform={me.role === 'platform_admin'}
          onClose={() => setEditing(undefined)}
          onSaved={(r) => {
            setEditing(undefined);
            if (r && 'oneTimePassword' in r) showPassword(r, '账号已创建');
            else message.success('已保存');
            void list.reload();
          }}
        />
      )}
    </Card>
  );
}

function StaffModal(props: {
  account?: StaffAccount;
  hospitals: Hospital[];
  platform: boolean;
  onClose: () => void;
  onSaved: (r: StaffWithPassword | StaffAccount) => void;
}) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const a = props.account;
  const role = Form.useWatch('role', form);
  const roles = props.platform ? STAFF_ROLES : HOSPITAL_STAFF_ROLES;
  const submit = async () => {
    const values = form.getFieldsValue();
    const input = { ...values, hospitalIds: values.role === 'platform_admin' ? [] : (values.hospitalIds ?? []) };
    const body = a ? validate(updateStaff, form, input) : validate(createStaff, form, input);
    if (!body) return;
    setBusy(true);
    try {
      props.onSaved(
        a ? await put<StaffAccount>(`/staff/${a.id}`, body) : await post<StaffWithPassword>('/staff', body),
      );
    } catch (err) {
      if (!showServerErrors(err, form))
        form.setFields([{ name: a ? 'displayName' : 'username', errors: [(err as Error).message] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={a ? `编辑账号：${a.username}` : '新建账号'}
      okText='保存'
      cancelText='取消'
      okButtonProps={{ loading: busy }}
      onOk={() => void submit()}
      onCancel={props.onClose}
    >
      <Form
        form={form}
        layout='vertical'
        requiredMark={false}
        initialValues={
          a
            ? { displayName: a.displayName, role: a.role, hospitalIds: a.hospitals.map((h) => h.id) }
            : { role: 'triage_nurse', hospitalIds: props.hospitals.length === 1 ? [props.hospitals[0].id] : [] }
        }
      >
        {!a && (
          <Form.Item name='username' label='用户名' extra='3-32位小写字母、数字或 . _ -，以字母开头'>
            <Input />
          </Form.Item>
        )}
        <Form.Item name='displayName' label='姓名'>
          <Input />
        </Form.Item>
        <Form.Item name='role' label='角色'>
          <Select options={roles.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
        </Form.Item>
        {role !== 'platform_admin' && (
          <Form.Item name='hospitalIds' label='所属医院'>
            <Select
              mode='multiple'
              showSearch
              optionFilterProp='label'
              options={props.hospitals.map((h) => ({ value: h.id, label: h.name }))}
            />
          </Form.Item>
        )}
        {!a && (
          <Typography.Text type='secondary'>保存后生成一次性密码；管理员角色首次登录须绑定动态验证码。</Typography.Text>
        )}
      </Form>
    </Modal>
  );
}
