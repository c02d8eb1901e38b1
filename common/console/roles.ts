/** Staff roles of the console, shared by the server and the console app. */
export const STAFF_ROLES = ['platform_admin', 'hospital_admin', 'triage_nurse', 'expert'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const ROLE_LABELS: Record<StaffRole, string> = {
  platform_admin: '平台管理员',
  hospital_admin: '医院管理员',
  triage_nurse: '分诊护士',
  expert: '专家',
};

/** Roles that must sign in with a second factor (TOTP); it is optional for the others. */
export const TOTP_REQUIRED_ROLES: readonly StaffRole[] = ['platform_admin', 'hospital_admin'];

/** Roles a hospital admin may give, within their own hospitals. */
export const HOSPITAL_STAFF_ROLES: readonly StaffRole[] = ['triage_nurse', 'expert'];

/** Where a console sign-in stands: each step must be passed before the next. */
export const SESSION_STAGES = ['totp', 'enrol', 'password', 'active'] as const;
export type SessionStage = (typeof SESSION_STAGES)[number];
