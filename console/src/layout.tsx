import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { Avatar, Dropdown, Layout, Menu, Space, Tag, Typography } from 'antd';
import {
  AuditOutlined,
  BookOutlined,
  CalendarOutlined,
  DashboardOutlined,
  LogoutOutlined,
  MedicineBoxOutlined,
  NotificationOutlined,
  ProfileOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { StaffRole } from '@common/console/roles';
import { ROLE_LABELS } from './labels';
import { useSession, useStaff } from './session';

const MENU: Array<{ key: string; label: string; icon: ReactNode; roles: StaffRole[] }> = [
  { key: '/', label: '仪表盘', icon: <DashboardOutlined />, roles: ['platform_admin', 'hospital_admin'] },
  { key: '/', label: '工作台', icon: <DashboardOutlined />, roles: ['triage_nurse', 'expert'] },
  {
    key: '/hospitals',
    label: '医院与规则',
    icon: <MedicineBoxOutlined />,
    roles: ['platform_admin', 'hospital_admin'],
  },
  { key: '/schedule', label: '排班与号源', icon: <CalendarOutlined />, roles: ['platform_admin', 'hospital_admin'] },
  { key: '/appointments', label: '预约管理', icon: <ProfileOutlined />, roles: ['platform_admin', 'hospital_admin'] },
  { key: '/staff', label: '人员与权限', icon: <TeamOutlined />, roles: ['platform_admin', 'hospital_admin'] },
  { key: '/triage', label: '分诊工作台', icon: <MedicineBoxOutlined />, roles: ['triage_nurse', 'platform_admin'] },
  { key: '/notifications', label: '通知记录', icon: <NotificationOutlined />, roles: ['platform_admin'] },
  { key: '/articles', label: '内容管理', icon: <BookOutlined />, roles: ['platform_admin'] },
  { key: '/audit', label: '审计日志', icon: <AuditOutlined />, roles: ['platform_admin'] },
];

/** The signed-in frame: the menu for the role, and the account in the header. */
export function Shell({ children }: { children: ReactNode }) {
  const staff = useStaff();
  const { logout } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const items = MENU.filter((m) => m.roles.includes(staff.role));
  const selected = items
    .map((m) => m.key)
    .filter((k) => (k === '/' ? pathname === '/' : pathname.startsWith(k)))
    .slice(-1);
  const scope = staff.role === 'platform_admin' ? '全部医院' : staff.hospitals.map((h) => h.name).join('、');

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={208} theme='dark'>
        <div style={{ height: 64, display: 'flex', alignItems: 'center', padding: '0 20px', color: '#fff' }}>
          <MedicineBoxOutlined style={{ fontSize: 22, marginRight: 10, color: '#4096ff' }} />
          <span style={{ fontSize: 16, fontWeight: 600 }}>医联云健康控制台</span>
        </div>
        <Menu
          theme='dark'
          mode='inline'
          selectedKeys={selected}
          items={items.map((m) => ({ key: m.key, icon: m.icon, label: <Link to={m.key}>{m.label}</Link> }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            justifyContent: 'space-between',
            alignItems: 'center',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Typography.Text type='secondary' ellipsis style={{ maxWidth: 640 }}>
            管辖范围：{scope}
          </Typography.Text>
          <Dropdown
            menu={{
              items: [
                { key: 'account', icon: <UserOutlined />, label: '我的账号' },
                { key: 'logout', icon: <LogoutOutlined />, label: '退出登录' },
              ],
              onClick: ({ key }) => (key === 'logout' ? void logout() : navigate('/account')),
            }}
          >
            <Space style={{ cursor: 'pointer' }} data-testid='account-menu'>
              <Avatar size='small' icon={<UserOutlined />} style={{ background: '#1677ff' }} />
              <span>{staff.displayName}</span>
              <Tag color='blue'>{ROLE_LABELS[staff.role]}</Tag>
            </Space>
          </Dropdown>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
