import { z } from 'zod';
import { ARTICLE_CATEGORIES } from '../articles';
import { STAFF_ROLES } from './roles';

/**
 * Console form inputs, validated by the console app before sending and by the
 * server on arrival (the same schemas), with Chinese messages naming the field.
 */

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为YYYY-MM-DD');
const id = z.string().min(1).max(64);

export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_.-]{2,31}$/, '用户名为3-32位小写字母、数字或 . _ -，以字母开头');

/** At least 10 characters with letters and digits; the documented demo passwords are refused. */
export const newPassword = z
  .string()
  .min(10, '密码至少10位')
  .max(128, '密码最长128位')
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), '密码须同时包含字母和数字');

export const loginForm = z.strictObject({
  username: z.string().trim().toLowerCase().min(1, '请输入用户名').max(32),
  password: z.string().min(1, '请输入密码').max(128),
});

export const totpCode = z.string().regex(/^\d{6}$/, '请输入6位动态验证码');
export const recoveryCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-z]{4}(-?[0-9a-z]{4}){3}$/, '恢复码格式应为 xxxx-xxxx-xxxx-xxxx');

/** The second step: a code from the authenticator app, or one of the recovery codes. */
export const totpStep = z.union([z.strictObject({ code: totpCode }), z.strictObject({ recoveryCode })]);
export const totpConfirm = z.strictObject({ code: totpCode });

export const passwordChange = z
  .strictObject({ currentPassword: z.string().min(1, '请输入当前密码').max(128), newPassword })
  .refine((v) => v.currentPassword !== v.newPassword, { message: '新密码不能与当前密码相同', path: ['newPassword'] });

const int = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label}应为整数` })
    .int(`${label}应为整数`)
    .min(min, `${label}不能小于${min}`)
    .max(max, `${label}不能大于${max}`);
const hhmm = (label: string) => z.string().regex(HHMM, `${label}格式应为HH:MM`);

/**
 * A hospital's booking rules. Combinations that make no sense are refused
 * with the field named: seats released after same-day booking stops, or a
 * cancellation cut-off longer than the booking window.
 */
export const bookingRules = z
  .strictObject({
    windowDays: int('预约周期（天）', 1, 60),
    releaseTime: hhmm('放号时间'),
    stopTime: hhmm('停挂时间'),
    cancelCutoffHours: int('退号截止（小时）', 0, 168),
    maxActive: int('每人最多有效预约', 1, 20),
    noShowLimit: int('爽约次数上限', 1, 10),
    noShowWindowDays: int('爽约统计周期（天）', 7, 365),
    suspendDays: int('暂停预约天数', 1, 365),
  })
  .superRefine((r, ctx) => {
    if (HHMM.test(r.releaseTime) && HHMM.test(r.stopTime) && r.releaseTime >= r.stopTime) {
      ctx.addIssue({ code: 'custom', path: ['releaseTime'], message: '放号时间必须早于停挂时间' });
    }
    if (r.cancelCutoffHours > r.windowDays * 24) {
      ctx.addIssue({
        code: 'custom',
        path: ['cancelCutoffHours'],
        message: `退号截止（${r.cancelCutoffHours}小时）不能超过预约周期（${r.windowDays}天）`,
      });
    }
  });
export type BookingRulesInput = z.output<typeof bookingRules>;

export const stopSession = z.strictObject({
  doctorId: id,
  date,
  period: z.enum(['am', 'pm']),
  reason: z.string().trim().min(2, '请填写停诊原因（至少2个字）').max(60, '停诊原因最多60个字'),
});

export const addCapacity = z.strictObject({
  count: int('加号数量', 1, 20),
  reason: z.string().trim().min(2, '请填写加号原因（至少2个字）').max(60, '加号原因最多60个字'),
});

/** What the console may mark an appointment as. */
export const markAppointment = z.strictObject({
  status: z.enum(['checked_in', 'completed', 'no_show']),
});

export const staffRole = z.enum(STAFF_ROLES, { error: '请选择角色' });
const displayName = z.string().trim().min(1, '请输入姓名').max(40, '姓名最多40个字');
const hospitalIds = z.array(id).max(50, '最多50家医院');

export const createStaff = z
  .strictObject({ username, displayName, role: staffRole, hospitalIds: hospitalIds.default([]) })
  .superRefine((v, ctx) => scopeRule(v, ctx));
export const updateStaff = z
  .strictObject({ displayName, role: staffRole, hospitalIds })
  .superRefine((v, ctx) => scopeRule(v, ctx));

/** A platform admin has no hospital scope; every other role has at least one hospital. */
function scopeRule(v: { role: string; hospitalIds: string[] }, ctx: z.RefinementCtx) {
  if (v.role === 'platform_admin' && v.hospitalIds.length) {
    ctx.addIssue({ code: 'custom', path: ['hospitalIds'], message: '平台管理员不限定医院' });
  }
  if (v.role !== 'platform_admin' && !v.hospitalIds.length) {
    ctx.addIssue({ code: 'custom', path: ['hospitalIds'], message: '请至少选择一家医院' });
  }
}

/** 内容管理: a knowledge article (health module). The body is Markdown, rendered to a safe subset for patients. */
export { ARTICLE_CATEGORIES, ARTICLE_CATEGORY_LABELS } from '../articles';
export const articleCategory = z.enum(ARTICLE_CATEGORIES, { error: '请选择分类' });
export const articleInput = z.strictObject({
  title: z.string().trim().min(1, '请填写标题').max(100, '标题最多100个字'),
  category: articleCategory,
  tags: z.array(z.string().trim().min(1).max(20, '每个标签最多20个字')).max(10, '最多10个标签'),
  author: z.string().trim().min(1, '请填写作者').max(60, '作者最多60个字'),
  body: z.string().trim().min(1, '请填写正文').max(50_000, '正文最多5万字'),
  published: z.boolean(),
});
