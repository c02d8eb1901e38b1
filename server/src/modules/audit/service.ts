import type { Context } from 'koa';
import type { Db } from '../../db';
import { asDate, insertRows, type Sql, type SqlValue } from '../../db/sql';
import type { StaffCaller } from '../../http/route';
import type { Page } from '../../http/schemas';
import { newId } from '../../lib/ids';
import { shanghaiDayStart, toShanghaiIso } from '../../lib/time';
import { addDays } from '../booking/rules';
import type { AuditEventDto, AuditQuery } from './schemas';

/** Who acts: the staff member (none for a failed sign-in of an unknown name), from where, in which request. */
export interface Actor {
  staffId: string | null;
  username: string | null;
  role: string | null;
  ip: string;
  requestId: string;
}

export const actorOf = (staff: StaffCaller | undefined, ctx: Context): Actor => ({
  staffId: staff?.id ?? null,
  username: staff?.username ?? null,
  role: staff?.role ?? null,
  ip: ctx.ip,
  requestId: ctx.state.requestId,
});

/** What was done to which record. `details` says what changed (values of rules, counts, reasons), never patient data. */
export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  hospitalId?: string | null;
  details?: Record<string, unknown>;
}

const COLUMNS = [
  'id',
  'created_at',
  'staff_id',
  'username',
  'role',
  'action',
  'target_type',
  'target_id',
  'hospital_id',
  'ip',
  'request_id',
  'details',
];

/** Writes one audit row in the caller's transaction, so it exists exactly when the change does. */
export function recordAudit(sql: Sql, actor: Actor, e: AuditEntry): Promise<number> {
  return insertRows(sql, 'audit_events', COLUMNS, [
    [
      newId('aud'),
      new Date(),
      actor.staffId,
      actor.username,
      actor.role,
      e.action,
      e.targetType ?? null,
      e.targetId ?? null,
      e.hospitalId ?? null,
      actor.ip.slice(0, 64),
      actor.requestId,
      e.details ? JSON.stringify(e.details) : null,
    ],
  ]);
}

const CSV_LIMIT = 10_000;

/**
 * The audit log: append-only (the table refuses UPDATE and DELETE), read by
 * platform admins, filtered, and exported as CSV.
 */
export class AuditLog {
  constructor(private readonly db: Db) {}

  /** Records an action that is not part of a larger transaction (reads, sign-ins). */
  record(actor: Actor, e: AuditEntry): Promise<number> {
    return this.db.writeSql((sql) => recordAudit(sql, actor, e));
  }

  async list(q: AuditQuery): Promise<Page<AuditEventDto>> {
    const { where, params } = filter(q);
    const rows = await this.db.sql.all<Row>(
      `${SELECT} ${where} ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const count = await this.db.sql.one<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM audit_events a ${where}`,
      params,
    );
    return { items: rows.map(toDto), total: Number(count?.n ?? 0), page: q.page, pageSize: q.pageSize };
  }

  /** The filtered log as CSV (UTF-8 with BOM, for Excel), newest first, at most 10,000 rows. */
  async csv(q: AuditQuery): Promise<string> {
    const { where, params } = filter(q);
    const rows = await this.db.sql.all<Row>(`${SELECT} ${where} ORDER BY a.created_at DESC, a.id DESC LIMIT ?`, [
      ...params,
      CSV_LIMIT,
    ]);
    const header = ['时间', '账号', '角色', '操作', '对象类型', '对象ID', '医院', 'IP', '请求ID', '详情'];
    const lines = rows
      .map(toDto)
      .map((e) =>
        [
          e.at,
          e.username ?? '',
          e.role ?? '',
          e.action,
          e.targetType ?? '',
          e.targetId ?? '',
          e.hospitalName ?? e.hospitalId ?? '',
          e.ip ?? '',
          e.requestId ?? '',
          e.details ? JSON.stringify(e.details) : '',
        ]
          .map(csvCell)
          .join(','),
      );
    return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
  }
}

type Row = Record<string, unknown>;

const SELECT = `SELECT a.id, a.created_at AS "createdAt", a.staff_id AS "staffId", a.username, a.role, a.action,
  a.target_type AS "targetType", a.target_id AS "targetId", a.hospital_id AS "hospitalId", h.name AS "hospitalName",
  a.ip, a.request_id AS "requestId", a.details
  FROM audit_events a LEFT JOIN hospitals h ON h.id = a.hospital_id`;

function filter(q: AuditQuery): { where: string; params: SqlValue[] } {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: string, value: SqlValue) => {
    clauses.push(clause);
    params.push(value);
  };
  if (q.username) add('a.username = ?', q.username);
  if (q.action) add('a.action LIKE ?', `${q.action.replace(/[%_]/g, '')}%`);
  if (q.hospitalId) add('a.hospital_id = ?', q.hospitalId);
  if (q.from) add('a.created_at >= ?', shanghaiDayStart(q.from));
  if (q.to) add('a.created_at < ?', shanghaiDayStart(addDays(q.to, 1)));
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function toDto(r: Row): AuditEventDto {
  return {
    id: r.id as string,
    at: toShanghaiIso(asDate(r.createdAt)),
    staffId: (r.staffId as string | null) ?? null,
    username: (r.username as string | null) ?? null,
    role: (r.role as string | null) ?? null,
    action: r.action as string,
    targetType: (r.targetType as string | null) ?? null,
    targetId: (r.targetId as string | null) ?? null,
    hospitalId: (r.hospitalId as string | null) ?? null,
    hospitalName: (r.hospitalName as string | null) ?? null,
    ip: (r.ip as string | null) ?? null,
    requestId: (r.requestId as string | null) ?? null,
    details: r.details ? (JSON.parse(r.details as string) as Record<string, unknown>) : null,
  };
}

/** Quotes a CSV cell; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
