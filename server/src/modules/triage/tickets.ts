import type { Context } from 'koa';
import { maskName, maskPhone } from '../../../../common/mask';
import type { Db } from '../../db';
import { insertRows, type Sql, type SqlValue } from '../../db/sql';
import { AppError, notFound } from '../../http/errors';
import type { Page } from '../../http/schemas';
import type { StaffCaller } from '../../http/route';
import { newId } from '../../lib/ids';
import { shanghaiDate, toShanghaiIso, toShanghaiIsoOrNull } from '../../lib/time';
import { slotOf, type PiiCipher } from '../../privacy/cipher';
import { findOwnPatient } from '../../privacy/access';
import type { AccountService } from '../accounts/service';
import { actorOf, recordAudit } from '../audit/service';
import { emit } from '../booking/events';
import { scopeOf } from '../staff/access';
import type { TriageEngine, Urgency } from './engine';
import type { CreateTicket } from './schemas';

const RANK: Record<Urgency, number> = { emergency: 0, urgent: 1, routine: 2 };
const OUTCOME: Record<'reached' | 'no_answer' | 'wrong_number', string> = {
  reached: '已接通',
  no_answer: '未接听',
  wrong_number: '号码有误',
};

interface TicketRow {
  id: string;
  userId: string;
  patientId: string | null;
  hospitalId: string | null;
  summaryEnc: string;
  textEnc: string;
  callbackPhoneEnc: string | null;
  callbackPhoneMasked: string | null;
  urgency: Urgency;
  status: 'open' | 'claimed' | 'closed';
  claimedBy: string | null;
  claimedByName: string | null;
  claimedAt: Date | string | null;
  recommendedDepartment: string | null;
  callbackRequested: boolean | number;
  createdAt: Date | string;
  updatedAt: Date | string;
}

interface MessageRow {
  id: string;
  author: 'patient' | 'staff';
  kind: 'text' | 'recommendation' | 'callback' | 'status';
  bodyEnc: string;
  staff: string | null;
  createdAt: Date | string;
}

const SELECT = `SELECT t.id, t.user_id AS "userId", t.patient_id AS "patientId", t.hospital_id AS "hospitalId",
  t.summary_enc AS "summaryEnc", t.text_enc AS "textEnc", t.callback_phone_enc AS "callbackPhoneEnc",
  t.callback_phone_masked AS "callbackPhoneMasked", t.urgency, t.status, t.claimed_by AS "claimedBy",
  s.username AS "claimedByName", t.claimed_at AS "claimedAt", t.recommended_department AS "recommendedDepartment",
  t.callback_requested AS "callbackRequested", t.created_at AS "createdAt", t.updated_at AS "updatedAt"
  FROM triage_tickets t LEFT JOIN staff_accounts s ON s.id = t.claimed_by`;

const TICKET_COLUMNS = [
  'id',
  'user_id',
  'patient_id',
  'hospital_id',
  'summary_enc',
  'text_enc',
  'callback_phone_enc',
  'callback_phone_masked',
  'urgency',
  'urgency_rank',
  'status',
  'callback_requested',
  'created_at',
  'updated_at',
];
const MESSAGE_COLUMNS = ['id', 'ticket_id', 'author', 'staff_id', 'kind', 'body_enc', 'created_at', 'updated_at'];

export interface TicketDeps {
  db: Db;
  cipher: PiiCipher;
  accounts: Pick<AccountService, 'requireConsent'>;
  engine: TriageEngine;
  /** Unclaimed tickets older than this are flagged in the queue. */
  unclaimedFlagMs: number;
}

/**
 * Human triage (人工分诊): a patient opens a ticket and talks with a triage
 * nurse, who claims it, replies, recommends a department, requests or logs a
 * callback, and closes it. Patients reach only their own tickets; staff only
 * those of their hospitals (platform-desk tickets, with no hospital, only
 * platform-wide staff). Summary, text, messages and the callback phone are
 * stored encrypted, bound to their row; every staff action is audited, and a
 * reply to the patient is a domain event the notifications module turns into
 * a notice.
 */
export class TicketService {
  constructor(private readonly d: TicketDeps) {}

  private enc(table: string, column: string, id: string, value: string) {
    return this.d.cipher.encrypt(value, slotOf(table, column, id));
  }
  private dec(table: string, column: string, id: string, value: string) {
    return this.d.cipher.decrypt(value, slotOf(table, column, id));
  }

  // ---- patients ----

  async open(userId: string, body: CreateTicket) {
    await this.d.accounts.requireConsent(userId);
    const patient = body.patientId ? await findOwnPatient(userId, body.patientId) : undefined;
    if (body.hospitalId && !(await this.d.db.sql.one('SELECT id FROM hospitals WHERE id = ?', [body.hospitalId])))
      throw notFound('医院');
    const urgency = this.urgencyOf(`${body.summary}。${body.text}`, patient);
    const id = newId('tkt');
    const now = new Date();
    await this.d.db.writeSql((sql) =>
      insertRows(sql, 'triage_tickets', TICKET_COLUMNS, [
        [
          id,
          userId,
          patient?.id ?? null,
          body.hospitalId ?? null,
          this.enc('triage_tickets', 'summary_enc', id, body.summary),
          this.enc('triage_tickets', 'text_enc', id, body.text),
          body.callbackPhone ? this.enc('triage_tickets', 'callback_phone_enc', id, body.callbackPhone) : null,
          body.callbackPhone ? maskPhone(body.callbackPhone) : null,
          urgency,
          RANK[urgency],
          'open',
          false,
          now,
          now,
        ],
      ]),
    );
    return this.get(userId, id);
  }

  /** The engine's urgency for the text, for the patient's age and sex, or the worse of both sexes at 30 without one. */
  private urgencyOf(text: string, patient?: { sex: 'male' | 'female'; birthYear: number | null }): Urgency {
    const age = patient?.birthYear ? Math.max(0, Number(shanghaiDate().slice(0, 4)) - patient.birthYear) : 30;
    const sexes = patient ? [patient.sex] : (['male', 'female'] as const);
    const found = sexes.map((sex) => this.d.engine.assess({ age, sex, text }).urgency);
    return found.sort((a, b) => RANK[a] - RANK[b])[0];
  }

  async list(userId: string, q: { page: number; pageSize: number }): Promise<Page<ReturnType<typeof summaryOf>>> {
    await this.d.accounts.requireConsent(userId);
    const rows = await this.d.db.sql.all<TicketRow>(
      `${SELECT} WHERE t.user_id = ? ORDER BY t.created_at DESC, t.id DESC LIMIT ? OFFSET ?`,
      [userId, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const total = await this.d.db.sql.one<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM triage_tickets WHERE user_id = ?',
      [userId],
    );
    return {
      items: rows.map((r) => summaryOf(r, this.summaryText(r))),
      total: Number(total?.n ?? 0),
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async get(userId: string, id: string) {
    await this.d.accounts.requireConsent(userId);
    const row = await this.own(userId, id);
    return {
      ...summaryOf(row, this.summaryText(row)),
      text: this.dec('triage_tickets', 'text_enc', row.id, row.textEnc),
      messages: (await this.messages(row.id)).map(({ staff: _staff, ...m }) => m),
    };
  }

  async reply(userId: string, id: string, text: string) {
    await this.d.accounts.requireConsent(userId);
    const row = await this.own(userId, id);
    if (row.status === 'closed') throw new AppError(409, 'TICKET_CLOSED', '该分诊已结束，如有新问题请重新发起');
    await this.d.db.writeSql(async (sql) => {
      await stillOpen(sql, row.id, '该分诊已结束，如有新问题请重新发起');
      await this.addMessage(sql, row.id, 'patient', null, 'text', text);
    });
    return this.get(userId, id);
  }

  /**
   * The caller's own ticket, else 404: the account must match and, for a
   * ticket about a patient, the patient must still be the account's (the
   * central check).
   */
  private async own(userId: string, id: string): Promise<TicketRow> {
    const row = await this.d.db.sql.one<TicketRow>(`${SELECT} WHERE t.id = ? AND t.user_id = ?`, [id, userId]);
    if (!row) throw notFound('分诊单');
    if (row.patientId) await findOwnPatient(userId, row.patientId);
    return row;
  }

  // ---- staff ----

  async queue(staff: StaffCaller, q: { page: number; pageSize: number; status: string; mine: boolean }) {
    const where: string[] = [];
    const params: SqlValue[] = [];
    this.scopeWhere(staff, where, params);
    if (q.status === 'active') where.push("t.status IN ('open', 'claimed')");
    else {
      where.push('t.status = ?');
      params.push(q.status);
    }
    if (q.mine) {
      where.push('t.claimed_by = ?');
      params.push(staff.id);
    }
    const w = `WHERE ${where.join(' AND ')}`;
    // Most urgent first; within the same urgency, who has waited longest.
    const rows = await this.d.db.sql.all<TicketRow>(
      `${SELECT} ${w} ORDER BY t.urgency_rank, t.created_at, t.id LIMIT ? OFFSET ?`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const total = await this.d.db.sql.one<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM triage_tickets t ${w}`,
      params,
    );
    const now = Date.now();
    return {
      items: rows.map((r) => this.staffView(r, now)),
      total: Number(total?.n ?? 0),
      page: q.page,
      pageSize: q.pageSize,
      overdueMinutes: Math.round(this.d.unclaimedFlagMs / 60_000),
    };
  }

  async detail(staff: StaffCaller, id: string) {
    const row = await this.inScope(staff, id);
    return {
      ...this.staffView(row, Date.now()),
      text: this.dec('triage_tickets', 'text_enc', row.id, row.textEnc),
      messages: await this.messages(row.id),
    };
  }

  async claim(staff: StaffCaller, id: string, ctx: Context) {
    const row = await this.inScope(staff, id);
    if (row.claimedBy === staff.id && row.status === 'claimed') return this.detail(staff, id);
    if (row.status !== 'open') throw new AppError(409, 'ALREADY_CLAIMED', '该分诊单已被接单或已结束');
    await this.d.db.writeSql(async (sql) => {
      const now = new Date();
      const taken = await sql.run(
        "UPDATE triage_tickets SET status = 'claimed', claimed_by = ?, claimed_at = ?, updated_at = ? WHERE id = ? AND status = 'open'",
        [staff.id, now, now, id],
      );
      if (!taken) throw new AppError(409, 'ALREADY_CLAIMED', '该分诊单已被接单或已结束');
      await this.addMessage(sql, id, 'staff', staff.id, 'status', '分诊护士已接单，正在查看您的问题');
      await this.audit(sql, staff, ctx, 'triage.claim', row);
    });
    return this.detail(staff, id);
  }

  async staffReply(staff: StaffCaller, id: string, text: string, ctx: Context) {
    const row = await this.working(staff, id);
    await this.d.db.writeSql(async (sql) => {
      await stillOpen(sql, id);
      await this.addMessage(sql, id, 'staff', staff.id, 'text', text);
      await this.touch(sql, row);
      await this.audit(sql, staff, ctx, 'triage.reply', row);
    });
    return this.detail(staff, id);
  }

  async recommend(staff: StaffCaller, id: string, body: { department: string; note?: string }, ctx: Context) {
    if (!this.d.engine.kb.departmentByName.has(body.department))
      throw new AppError(422, 'UNKNOWN_DEPARTMENT', `未知的科室：${body.department}`);
    const row = await this.working(staff, id);
    await this.d.db.writeSql(async (sql) => {
      await stillOpen(sql, id);
      await sql.run('UPDATE triage_tickets SET recommended_department = ? WHERE id = ?', [body.department, id]);
      const text = `推荐就诊科室：${body.department}${body.note ? `。${body.note}` : ''}`;
      await this.addMessage(sql, id, 'staff', staff.id, 'recommendation', text);
      await this.touch(sql, row);
      await this.audit(sql, staff, ctx, 'triage.recommend', row, { department: body.department });
    });
    return this.detail(staff, id);
  }

  async callback(
    staff: StaffCaller,
    id: string,
    body: { action: 'request' } | { action: 'log'; outcome: keyof typeof OUTCOME; note?: string },
    ctx: Context,
  ) {
    const row = await this.working(staff, id);
    if (!row.callbackPhoneEnc) throw new AppError(422, 'NO_CALLBACK_PHONE', '患者未留回访电话，请在对话中回复');
    await this.d.db.writeSql(async (sql) => {
      await stillOpen(sql, id);
      const now = new Date();
      if (body.action === 'request') {
        await sql.run('UPDATE triage_tickets SET callback_requested = ?, updated_at = ? WHERE id = ?', [true, now, id]);
        await this.addMessage(sql, id, 'staff', staff.id, 'status', '分诊护士将电话回访，请留意来电');
        await this.audit(sql, staff, ctx, 'triage.callback_request', row);
      } else {
        await sql.run('UPDATE triage_tickets SET callback_requested = ?, updated_at = ? WHERE id = ?', [
          false,
          now,
          id,
        ]);
        const text = `电话回访：${OUTCOME[body.outcome]}${body.note ? `。${body.note}` : ''}`;
        await this.addMessage(sql, id, 'staff', staff.id, 'callback', text);
        await this.audit(sql, staff, ctx, 'triage.callback_log', row, { outcome: body.outcome });
      }
    });
    return this.detail(staff, id);
  }

  /** The full callback number, for the nurse to dial: audited, never in a list or a log. */
  async revealPhone(staff: StaffCaller, id: string, ctx: Context) {
    const row = await this.working(staff, id);
    if (!row.callbackPhoneEnc) throw new AppError(422, 'NO_CALLBACK_PHONE', '患者未留回访电话，请在对话中回复');
    const phone = this.dec('triage_tickets', 'callback_phone_enc', row.id, row.callbackPhoneEnc);
    await this.d.db.writeSql((sql) => this.audit(sql, staff, ctx, 'triage.phone_reveal', row));
    return { phone };
  }

  async close(staff: StaffCaller, id: string, note: string | undefined, ctx: Context) {
    const row = await this.working(staff, id);
    await this.d.db.writeSql(async (sql) => {
      const now = new Date();
      await sql.run(
        "UPDATE triage_tickets SET status = 'closed', closed_at = ?, callback_requested = ?, updated_at = ? WHERE id = ?",
        [now, false, now, id],
      );
      await this.addMessage(sql, id, 'staff', staff.id, 'status', `分诊已结束${note ? `：${note}` : ''}`);
      await emit(sql, 'triage.replied', row.userId, id, { patientId: row.patientId });
      await this.audit(sql, staff, ctx, 'triage.close', row);
    });
    return this.detail(staff, id);
  }

  /** A ticket in the caller's scope (404 otherwise, like a missing one): the list's scope filter, applied to one id. */
  private async inScope(staff: StaffCaller, id: string): Promise<TicketRow> {
    const where = ['t.id = ?'];
    const params: SqlValue[] = [id];
    this.scopeWhere(staff, where, params);
    const row = await this.d.db.sql.one<TicketRow>(`${SELECT} WHERE ${where.join(' AND ')}`, params);
    if (!row) throw notFound('分诊单');
    return row;
  }

  /** In scope, not closed, and claimed by the caller (a platform admin may act on any). */
  private async working(staff: StaffCaller, id: string): Promise<TicketRow> {
    const row = await this.inScope(staff, id);
    if (row.status === 'closed') throw new AppError(409, 'TICKET_CLOSED', '该分诊单已结束');
    if (row.claimedBy !== staff.id && staff.role !== 'platform_admin')
      throw new AppError(409, 'CLAIM_FIRST', row.status === 'open' ? '请先接单' : '该分诊单已由其他护士处理');
    return row;
  }

  private scopeWhere(staff: StaffCaller, where: string[], params: SqlValue[]) {
    const scope = scopeOf(staff);
    if (!scope) return;
    if (!scope.length) where.push('1 = 0');
    else {
      where.push(`t.hospital_id IN (${scope.map(() => '?').join(', ')})`);
      params.push(...scope);
    }
  }

  /** A staff reply reaches the patient as a notice (notifications module). */
  private async touch(sql: Sql, row: TicketRow) {
    await sql.run('UPDATE triage_tickets SET updated_at = ? WHERE id = ?', [new Date(), row.id]);
    await emit(sql, 'triage.replied', row.userId, row.id, { patientId: row.patientId });
  }

  private audit(
    sql: Sql,
    staff: StaffCaller,
    ctx: Context,
    action: string,
    row: TicketRow,
    details?: Record<string, unknown>,
  ) {
    return recordAudit(sql, actorOf(staff, ctx), {
      action,
      targetType: 'triage_ticket',
      targetId: row.id,
      hospitalId: row.hospitalId,
      details,
    });
  }

  private async addMessage(
    sql: Sql,
    ticketId: string,
    author: 'patient' | 'staff',
    staffId: string | null,
    kind: MessageRow['kind'],
    body: string,
  ) {
    const id = newId('tmsg');
    const now = new Date();
    await insertRows(sql, 'triage_messages', MESSAGE_COLUMNS, [
      [id, ticketId, author, staffId, kind, this.enc('triage_messages', 'body_enc', id, body), now, now],
    ]);
  }

  private async messages(ticketId: string) {
    const rows = await this.d.db.sql.all<MessageRow>(
      `SELECT m.id, m.author, m.kind, m.body_enc AS "bodyEnc", s.username AS "staff", m.created_at AS "createdAt"
       FROM triage_messages m LEFT JOIN staff_accounts s ON s.id = m.staff_id
       WHERE m.ticket_id = ? ORDER BY m.created_at, m.id`,
      [ticketId],
    );
    return rows.map((m) => ({
      id: m.id,
      author: m.author,
      kind: m.kind,
      body: this.dec('triage_messages', 'body_enc', m.id, m.bodyEnc),
      staff: m.staff,
      createdAt: toShanghaiIso(m.createdAt),
    }));
  }

  private summaryText(r: TicketRow) {
    return this.dec('triage_tickets', 'summary_enc', r.id, r.summaryEnc);
  }

  private staffView(r: TicketRow, now: number) {
    const opened = new Date(r.createdAt).getTime();
    return {
      ...summaryOf(r, this.summaryText(r)),
      claimedBy: r.claimedByName,
      claimedAt: toShanghaiIsoOrNull(r.claimedAt),
      waitingMinutes: Math.max(0, Math.floor((now - opened) / 60_000)),
      overdue: r.status === 'open' && now - opened > this.d.unclaimedFlagMs,
    };
  }
}

function summaryOf(r: TicketRow, summary: string) {
  return {
    id: r.id,
    patientId: r.patientId,
    hospitalId: r.hospitalId,
    summary,
    urgency: r.urgency,
    status: r.status,
    recommendedDepartment: r.recommendedDepartment,
    callbackRequested: Boolean(r.callbackRequested),
    callbackPhone: r.callbackPhoneMasked,
    createdAt: toShanghaiIso(r.createdAt),
    updatedAt: toShanghaiIso(r.updatedAt),
  };
}

/** The mini-program page of one ticket, for the notice. */
export const ticketPage = (id: string) => `/packages/triage/ticket/index?id=${id}`;

/** For notices: the patient's masked name, or 您 for a ticket about nobody in particular. */
export async function ticketFacts(sql: Sql, userId: string, ticketId: string) {
  const row = await sql.one<{ name: string | null }>(
    `SELECT p.name FROM triage_tickets t LEFT JOIN patients p ON p.id = t.patient_id AND p.deleted_at IS NULL
     WHERE t.id = ? AND t.user_id = ?`,
    [ticketId, userId],
  );
  if (!row) return undefined;
  return { patientName: row.name ? maskName(row.name) : '您' };
}

/**
 * The first statement of a write to a ticket: it takes the ticket's row (a
 * racing close waits, or has already won) and refuses a closed one, so no
 * message or notice is added to a ticket that was closed meanwhile.
 */
async function stillOpen(sql: Sql, id: string, message = '该分诊单已结束'): Promise<void> {
  const n = await sql.run(`UPDATE triage_tickets SET updated_at = ? WHERE id = ? AND status <> 'closed'`, [
    new Date(),
    id,
  ]);
  if (!n) throw new AppError(409, 'TICKET_CLOSED', message);
}
