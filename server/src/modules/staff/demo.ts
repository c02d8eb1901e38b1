import type { Db } from '../../db';
import { Hospital } from '../hospitals/models';
import { StaffAccount } from './models';
import { DEMO_PASSWORDS, hashPassword } from './passwords';
import { insertStaff } from './service';

/** One demo account per role (README lists them); created once, development only. */
export const DEMO_STAFF = [
  { username: 'platform.demo', displayName: '演示平台管理员', role: 'platform_admin' },
  { username: 'hospital.demo', displayName: '演示医院管理员', role: 'hospital_admin' },
  { username: 'nurse.demo', displayName: '演示分诊护士', role: 'triage_nurse' },
  { username: 'expert.demo', displayName: '演示专家', role: 'expert' },
] as const;

/**
 * Demo staff (DEMO_DATA, never in production): the hospital roles work for
 * the first demo hospital. The admins enrol TOTP at their first sign-in. The
 * accounts are marked as demo accounts, which production refuses to sign in.
 */
export async function seedDemoStaff(db: Db): Promise<number> {
  const first = await Hospital.findOne({ order: [['code', 'ASC']] });
  if (!first) return 0;
  let created = 0;
  for (const demo of DEMO_STAFF) {
    if (await StaffAccount.findOne({ where: { username: demo.username } })) continue;
    const passwordHash = await hashPassword(DEMO_PASSWORDS[demo.role]);
    await db.write((t) =>
      insertStaff(t, {
        ...demo,
        hospitalIds: demo.role === 'platform_admin' ? [] : [first.id],
        passwordHash,
        mustChangePassword: false,
        isDemo: true,
      }),
    );
    created++;
  }
  return created;
}
