export { ROLE_LABELS } from '@common/console/roles';

export const APPOINTMENT_STATUS: Record<string, { text: string; color: string }> = {
  booked: { text: '待就诊', color: 'blue' },
  checked_in: { text: '已签到', color: 'cyan' },
  completed: { text: '已完成', color: 'green' },
  cancelled: { text: '已取消', color: 'default' },
  no_show: { text: '爽约', color: 'red' },
};

export const CONFIRMATION: Record<string, string> = {
  pending: '待医院确认',
  confirmed: '医院已确认',
  rejected: '医院拒绝',
};
export const PERIOD: Record<string, string> = { am: '上午', pm: '下午' };
export const LEVEL: Record<string, string> = { normal: '普通号', expert: '专家号', special: '特需号' };
export const TITLE: Record<string, string> = {
  chief_physician: '主任医师',
  associate_chief_physician: '副主任医师',
  attending_physician: '主治医师',
};
export const HOSPITAL_LEVEL: Record<string, string> = { tertiary_a: '三级甲等', tertiary_b: '三级乙等' };

export const ACTIONS: Record<string, string> = {
  'auth.login': '登录（密码通过）',
  'auth.login_failed': '登录失败',
  'auth.totp_passed': '动态验证码验证',
  'auth.totp_failed': '动态验证码错误',
  'auth.recovery_code_used': '使用恢复码',
  'auth.totp_enrolled': '绑定动态验证码',
  'auth.password_changed': '修改密码',
  'auth.password_change_failed': '修改密码失败',
  'auth.logout': '退出登录',
  'rules.update': '修改预约规则',
  'schedule.stop': '停诊',
  'schedule.add_capacity': '加号',
  'appointment.search': '查询预约',
  'appointment.mark': '更新预约状态',
  'staff.create': '新建账号',
  'staff.update': '修改账号',
  'staff.reset_password': '重置密码',
  'staff.reset_totp': '重置动态验证码',
  'staff.disable': '停用账号',
  'staff.enable': '启用账号',
  'outbox.retry': '重试死信任务',
  'audit.export': '导出审计日志',
};

/** `2026-11-26T08:00:00.000+08:00` -> `2026-11-26 08:00` (times arrive in Shanghai time). */
export const shTime = (iso: string | null | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : '—');
export const fen = (n: number) => `¥${(n / 100).toFixed(2)}`;
