import type { Context } from 'koa';
import { HOSPITAL_STAFF_ROLES, type SessionStage, type StaffRole } from '../../../../common/console/roles';
import type { Sql } from '../../db/sql';
import { AppError, notFound } from '../../http/errors';
import type { ScopeKind, StaffCaller, StaffGuard } from '../../http/route';
import { StaffAccount } from './models';
import type { StaffSessions } from './sessions';

const LABELS: Record<ScopeKind, string> = {
  hospital: '医院',
  department: '科室',
  doctor: '医生',
  slot: '号源',
  appointment: '预约',
  staff: '账号',
  triage_ticket: '分诊单',
};

const TABLES: Record<Exclude<ScopeKind, 'hospital' | 'staff'>, string> = {
  department: 'departments',
  doctor: 'doctors',
  slot: 'slots',
  appointment: 'appointments',
  // Human triage tickets: a ticket with no hospital (the platform's desk) is in no hospital's scope.
  triage_ticket: 'triage_tickets',
};

/** The hospitals a caller may see: null for all (platform admins). */
export const scopeOf = (staff: Pick<StaffCaller, 'hospitals'>): string[] | null =>
  staff.hospitals === 'all' ? null : staff.hospitals;

/**
 * The one access check of the console, like `findOwnPatient` for patients.
 * Every staff route runs it before its handler (http/route.ts): the caller's
 * role must be one the route lists (else 403), and every id of hospital data
 * in the request must belong to one of the caller's hospitals (else 404,
 * exactly like a missing id, so other hospitals' ids cannot be probed).
 * Lists take their hospital filter from `scopeOf`.
 */
export class StaffAccess implements StaffGuard {
  constructor(private readonly d: { sql: Sql; sessions: StaffSessions; production: boolean }) {}

  async authenticate(ctx: Context, stages: readonly SessionStage[]): Promise<StaffCaller> {
    const { session, token } = await this.d.sessions.current(ctx);
    const account = await StaffAccount.findByPk(session.staffId);
    if (!account || account.disabledAt) throw new AppError(401, 'ACCOUNT_DISABLED', '账号已停用，请联系管理员');
    if (account.isDemo && this.d.production) {
      throw new AppError(401, 'DEMO_ACCOUNT_REFUSED', '演示账号不能在生产环境使用');
    }
    this.d.sessions.checkCsrf(ctx, token);
    if (!stages.includes(session.stage)) {
      throw new AppError(401, 'SIGN_IN_INCOMPLETE', '请先完成登录验证', { stage: session.stage });
    }
    ctx.state.staffToken = token;
    return {
      id: account.id,
      username: account.username,
      role: account.role,
      hospitals: account.role === 'platform_admin' ? 'all' : await this.hospitalsOf(account.id),
      sessionId: session.id,
      stage: session.stage,
    };
  }

  async authorize(
    staff: StaffCaller,
    roles: readonly StaffRole[],
    targets: Array<{ kind: ScopeKind; id: string }>,
  ): Promise<void> {
    if (!roles.includes(staff.role)) throw new AppError(403, 'FORBIDDEN', '当前角色无权执行此操作');
    for (const t of targets) await this.requireInScope(staff, t.kind, t.id);
  }

  /** 404 unless the record exists and its hospital is one of the caller's. */
  async requireInScope(staff: StaffCaller, kind: ScopeKind, id: string): Promise<void> {
    const scope = scopeOf(staff);
    if (kind === 'staff') {
      if (!(await this.staffVisible(staff, id))) throw notFound(LABELS.staff);
      return;
    }
    const row =
      kind === 'hospital'
        ? await this.d.sql.one<{ h: string }>('SELECT id AS "h" FROM hospitals WHERE id = ?', [id])
        : await this.d.sql.one<{ h: string }>(`SELECT hospital_id AS "h" FROM ${TABLES[kind]} WHERE id = ?`, [id]);
    if (!row || (scope && !scope.includes(row.h))) throw notFound(LABELS[kind]);
  }

  /**
   * Platform admins see every account. A hospital admin sees the nurses and
   * experts who work only in the admin's hospitals, and no other admin.
   */
  private async staffVisible(staff: StaffCaller, id: string): Promise<boolean> {
    const target = await StaffAccount.findByPk(id);
    if (!target) return false;
    const scope = scopeOf(staff);
    if (!scope) return true;
    if (!HOSPITAL_STAFF_ROLES.includes(target.role)) return false;
    const theirs = await this.hospitalsOf(id);
    return theirs.length > 0 && theirs.every((h) => scope.includes(h));
  }

  async hospitalsOf(staffId: string): Promise<string[]> {
    const rows = await this.d.sql.all<{ h: string }>(
      'SELECT hospital_id AS "h" FROM staff_hospitals WHERE staff_id = ? ORDER BY hospital_id',
      [staffId],
    );
    return rows.map((r) => r.h);
  }
}
