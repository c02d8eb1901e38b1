import { z } from 'zod';
import { PHONE_PATTERN } from '../../../../common/mask';
import { isoTime } from '../../http/schemas';

export const phone = z.string().trim().regex(PHONE_PATTERN, '请输入11位手机号');

export const smsCodeRequest = z.strictObject({ phone });
export const smsCodeSent = z
  .object({ expiresIn: z.number().int(), resendAfter: z.number().int() })
  .meta({ id: 'SmsCodeSent' });

export const phoneSignIn = z.strictObject({ phone, code: z.string().regex(/^\d{6}$/, '请输入6位数字验证码') });
export const wechatSignIn = z.strictObject({ code: z.string().min(1).max(128) });
export const refreshRequest = z.strictObject({ refreshToken: z.string().min(20).max(200) });

export const me = z
  .object({
    id: z.string(),
    phone: z.string().nullable().meta({ example: '138****1234' }),
    wechatBound: z.boolean(),
    healthDataConsent: z.boolean().meta({ description: 'Consent to the current policy version is on record' }),
    policyVersion: z.string(),
    createdAt: isoTime,
  })
  .meta({ id: 'Me' });

export const tokens = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int().meta({ description: 'Seconds until the access token expires' }),
    user: me,
  })
  .meta({ id: 'SignIn' });

export const tokenPair = tokens.omit({ user: true }).meta({ id: 'TokenPair' });

export const consentKind = z.enum(['health_data']);
export const consent = z
  .object({
    id: z.string(),
    kind: consentKind,
    policyVersion: z.string(),
    grantedAt: isoTime,
    withdrawnAt: isoTime.nullable(),
  })
  .meta({ id: 'Consent' });
export const grantConsent = z.strictObject({ kind: consentKind, policyVersion: z.string().min(1).max(40) });
export const consentKindParam = z.object({ kind: consentKind });

export const policy = z
  .object({
    version: z.string(),
    title: z.string(),
    sections: z.array(z.object({ heading: z.string(), body: z.string() })),
  })
  .meta({ id: 'PrivacyPolicy' });

export type MeDto = z.input<typeof me>;
export type ConsentDto = z.input<typeof consent>;
