import { z } from 'zod';
import { SESSION_STAGES, STAFF_ROLES } from '../../../../common/console/roles';
import { isoTime, pageOf, pageQuery } from '../../http/schemas';

export {
  createStaff,
  loginForm,
  passwordChange,
  totpConfirm,
  totpStep,
  updateStaff,
} from '../../../../common/console/forms';

export const staffRole = z.enum(STAFF_ROLES);
const hospitalRef = z.object({ id: z.string(), name: z.string() });

export const staffAccount = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: staffRole,
    hospitals: z.array(hospitalRef),
    totpEnabled: z.boolean(),
    mustChangePassword: z.boolean(),
    isDemo: z.boolean(),
    disabled: z.boolean(),
    lastLoginAt: isoTime.nullable(),
    createdAt: isoTime,
  })
  .meta({ id: 'StaffAccount' });
export type StaffAccountDto = z.input<typeof staffAccount>;

export const consoleSession = z
  .object({
    stage: z.enum(SESSION_STAGES).meta({ description: 'The sign-in step still to pass, or `active`' }),
    csrfToken: z.string().meta({ description: 'Send as `X-CSRF-Token` on every state-changing call' }),
    staff: staffAccount,
    expiresAt: isoTime,
    idleTimeoutSec: z.number().int(),
  })
  .meta({ id: 'ConsoleSession' });
export type ConsoleSessionDto = z.input<typeof consoleSession>;

export const totpEnrolment = z
  .object({
    secret: z.string().meta({ description: 'Base32, for typing into an authenticator app' }),
    otpauthUrl: z.string(),
    qrCode: z.string().meta({ description: 'The otpauth URL as an SVG data URL' }),
  })
  .meta({ id: 'TotpEnrolment' });

export const enrolled = consoleSession
  .extend({ recoveryCodes: z.array(z.string()).meta({ description: 'Shown once; stored only as hashes' }) })
  .meta({ id: 'TotpEnrolled' });

export const staffQuery = pageQuery.extend({
  q: z.string().trim().max(40).optional(),
  role: staffRole.optional(),
});
export const staffPage = pageOf(staffAccount).meta({ id: 'StaffAccountPage' });

export const withPassword = z
  .object({ staff: staffAccount, oneTimePassword: z.string().meta({ description: 'Shown once' }) })
  .meta({ id: 'StaffWithPassword' });
