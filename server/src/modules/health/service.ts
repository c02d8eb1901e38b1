import { lockAccount } from '../../privacy/access';
import { APPOINTMENT_STATUS, describe, round, trendOf, TYPE_LABELS } from './labels';
import { GroupCommit, type Outcome } from '../../db/group-commit';
import type { Db } from '../../db';
import { asDate, type SqlValue } from '../../db/sql';
import { AppError, notFound } from '../../http/errors';
import { newId } from '../../lib/ids';
import { shanghaiDate, shanghaiDayStart, toShanghaiIso } from '../../lib/time';
import { slotOf, type PiiCipher } from '../../privacy/cipher';
import { ACTIVE_CONSENT_VERSION, type AccountService } from '../accounts/service';
import { findHealthPatient } from './access';
import { toObservationBundle } from './fhir';
import type { HealthRules, Level, MeasurementType } from './rules';
import type {
  CreateRecord,
  HealthRecordDto,
  ProfileBody,
  ProfileDto,
  RecordListQuery,
  SummaryDto,
  SummaryQuery,
  TimelineEntryDto,
} from './schemas';
import { METRICS, classify, toStored, valuesOf, type Stored } from './values';

export interface HealthServiceDeps {
  db: Db;
  cipher: PiiCipher;
  rules: HealthRules;
  accounts: AccountService;
  /** The privacy policy version the health-data consent must be under. */
  policyVersion: string;
}

const RECORD_COLUMNS = [
  'id',
  'patient_id',
  'type',
  'measured_at',
  'v1',
  'v2',
  'v3',
  'timing',
  'class_code',
  'level',
  'note_enc',
  'created_at',
];
const SELECT_RECORD = `r.id, r.patient_id AS "patientId", r.type, r.measured_at AS "measuredAt", r.v1, r.v2, r.v3,
  r.timing, r.note_enc AS "noteEnc"`;

interface RecordRow {
  id: string;
  patientId: string;
  type: MeasurementType;
  measuredAt: unknown;
  v1: number;
  v2: number | null;
  v3: number | null;
  timing: string | null;
  noteEnc: string | null;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
/** A measurement may be entered up to 5 minutes ahead of the server's clock (phones drift). */
const FUTURE_SLACK_MS = 5 * 60_000;

interface StoredProfile {
  bloodType?: ProfileDto['bloodType'];
  rhNegative?: boolean;
  allergies?: string[];
  chronicConditions?: string[];
  medications?: string[];
  surgeries?: string[];
  familyHistory?: string[];
}

/** Too many readings queued: the client retries after a moment rather than waiting without bound. */
const busy = () => new AppError(503, 'BUSY', '当前记录人数较多，请稍后再试', { retryAfter: 2 });

/**
 * 健康管理: measurements classified by the guideline rules (./rules.ts), their
 * summaries and FHIR export, the 健康档案 and its timeline. Every call checks
 * consent and ownership first (./access.ts). Health values are bound
 * parameters of plain SQL, never part of a statement text or a log line.
 */
export class HealthService {
  /** Readings are written in batches, each INSERT keeping its own condition (db/group-commit.ts). */
  readonly records: GroupCommit<SqlValue[], number>;
  /** One reading, written only while its patient is the caller's, not erased, and the consent holds. */
  private readonly insertText: string;

  constructor(private readonly d: HealthServiceDeps) {
    this.records = new GroupCommit<SqlValue[], number>(
      d.db,
      async (sql, batch) => {
        const outcomes: Outcome<number>[] = [];
        for (const params of batch) outcomes.push({ ok: true, value: await sql.run(this.insertText, params) });
        return outcomes;
      },
      { maxQueue: 5000, maxBatch: 100, busy },
    );
    const pg = d.db.dialect === 'postgres';
    const value = (c: string) => (pg && c.endsWith('_at') ? '?::timestamptz' : '?');
    this.insertText = `INSERT INTO health_records (${RECORD_COLUMNS.join(', ')})
      SELECT ${RECORD_COLUMNS.map(value).join(', ')} FROM patients p
      WHERE p.id = ? AND p.user_id = ? AND p.deleted_at IS NULL AND ${ACTIVE_CONSENT_VERSION} = ?`;
  }

  /**
   * Checks the values, then writes the reading with the consent and
   * ownership checks in the same statement (one write, no read before it);
   * only when that writes nothing is the reason looked up (403 or 404). A
   * weight without a height first reads the 健康档案's height.
   */
  async create(userId: string, body: CreateRecord): Promise<HealthRecordDto> {
    const measuredAt = new Date(body.measuredAt);
    const now = Date.now();
    if (measuredAt.getTime() > now + FUTURE_SLACK_MS) {
      throw new AppError(422, 'IMPLAUSIBLE_VALUE', '测量时间不能晚于当前时间', {
        fields: [{ path: 'body.measuredAt', message: '测量时间不能晚于当前时间' }],
      });
    }
    const needsHeight = body.type === 'weight' && body.values.heightCm === undefined;
    const height = needsHeight
      ? (await findHealthPatient(this.d.db.sql, this.d.accounts, userId, body.patientId)).heightCm
      : null;
    const stored = toStored(this.d.rules, body, height);
    const c = classify(this.d.rules, body.type, stored);
    const id = newId('hr');
    const note = body.note?.trim() || null;
    const noteEnc = note ? this.d.cipher.encrypt(note, slotOf('health_records', 'note_enc', id)) : null;
    const row: SqlValue[] = [
      id,
      body.patientId,
      body.type,
      measuredAt,
      stored.v1,
      stored.v2,
      stored.v3,
      stored.timing,
      c.code,
      c.level,
      noteEnc,
      new Date(now),
    ];
    const written = await this.records.submit([...row, body.patientId, userId, userId, this.d.policyVersion]);
    if (!written) {
      // Consent missing (403) or not the caller's patient (404), in that order, as on reads.
      await findHealthPatient(this.d.db.sql, this.d.accounts, userId, body.patientId);
      throw notFound('就诊人');
    }
    return {
      id,
      patientId: body.patientId,
      type: body.type,
      values: valuesOf(body.type, stored),
      measuredAt: toShanghaiIso(measuredAt),
      note,
      classification: c,
    };
  }

  private toDto(r: RecordRow): HealthRecordDto {
    const stored: Stored = { v1: Number(r.v1), v2: num(r.v2), v3: num(r.v3), timing: r.timing };
    return {
      id: r.id,
      patientId: r.patientId,
      type: r.type,
      values: valuesOf(r.type, stored),
      measuredAt: toShanghaiIso(asDate(r.measuredAt)),
      note: r.noteEnc ? this.d.cipher.decrypt(r.noteEnc, slotOf('health_records', 'note_enc', r.id)) : null,
      // Classified again on reading, so a corrected rule file applies to old readings too.
      classification: classify(this.d.rules, r.type, stored),
    };
  }

  async list(userId: string, q: RecordListQuery) {
    const patient = await findHealthPatient(this.d.db.sql, this.d.accounts, userId, q.patientId);
    const where: string[] = ['r.patient_id = ?'];
    const params: SqlValue[] = [patient.id];
    if (q.type) {
      where.push('r.type = ?');
      params.push(q.type);
    }
    if (q.from) {
      where.push('r.measured_at >= ?');
      params.push(shanghaiDayStart(q.from));
    }
    if (q.to) {
      where.push('r.measured_at < ?');
      params.push(new Date(shanghaiDayStart(q.to).getTime() + 86_400_000));
    }
    const clause = where.join(' AND ');
    const [count, rows] = await Promise.all([
      this.d.db.sql.one<{ n: number }>(`SELECT COUNT(*) AS n FROM health_records r WHERE ${clause}`, params),
      this.d.db.sql.all<RecordRow>(
        `SELECT ${SELECT_RECORD} FROM health_records r WHERE ${clause}
         ORDER BY r.measured_at DESC, r.id DESC LIMIT ? OFFSET ?`,
        [...params, q.pageSize, (q.page - 1) * q.pageSize],
      ),
    ]);
    return { items: rows.map((r) => this.toDto(r)), total: Number(count?.n ?? 0), page: q.page, pageSize: q.pageSize };
  }

  async remove(userId: string, recordId: string): Promise<void> {
    const row = await this.d.db.sql.one<{ patientId: string }>(
      `SELECT r.patient_id AS "patientId" FROM health_records r WHERE r.id = ?`,
      [recordId],
    );
    if (!row) throw notFound('记录');
    // Not the caller's patient: the same 404 as a missing record.
    await findHealthPatient(this.d.db.sql, this.d.accounts, userId, row.patientId).catch((e: { status?: number }) => {
      throw e.status === 404 ? notFound('记录') : e;
    });
    const n = await this.d.db.writeSql((sql) =>
      sql.run('DELETE FROM health_records WHERE id = ? AND patient_id = ?', [recordId, row.patientId]),
    );
    if (!n) throw notFound('记录');
  }

  /**
   * Averages, min/max, count, share per class and trend over the last 7/30/90
   * days: one index range read (patient, type, measured_at) and arithmetic
   * here; 90 days at 5 readings a day is 450 rows.
   */
  async summary(userId: string, q: SummaryQuery, now = new Date()): Promise<SummaryDto> {
    const patient = await findHealthPatient(this.d.db.sql, this.d.accounts, userId, q.patientId);
    const from = new Date(now.getTime() - q.days * 86_400_000);
    const rows = await this.d.db.sql.all<Omit<RecordRow, 'noteEnc' | 'id' | 'patientId' | 'type'>>(
      `SELECT measured_at AS "measuredAt", v1, v2, v3, timing FROM health_records
       WHERE patient_id = ? AND type = ? AND measured_at >= ? AND measured_at <= ? ORDER BY measured_at`,
      [patient.id, q.type, from, new Date(now.getTime() + FUTURE_SLACK_MS)],
    );
    const metrics = METRICS[q.type];
    const acc = Object.fromEntries(metrics.map((m) => [m, { sum: 0, n: 0, min: Infinity, max: -Infinity }]));
    const classCounts = new Map<string, number>();
    const days = new Map<string, Record<string, { sum: number; n: number }>>();
    const primary: number[] = [];
    const dayNames = new Map<number, string>();
    for (const r of rows) {
      const stored: Stored = { v1: Number(r.v1), v2: num(r.v2), v3: num(r.v3), timing: r.timing };
      const values = valuesOf(q.type, stored);
      const c = classify(this.d.rules, q.type, stored);
      classCounts.set(c.code, (classCounts.get(c.code) ?? 0) + 1);
      // Shanghai day by arithmetic, formatted once per day (450 rows, a handful of days).
      const t = asDate(r.measuredAt).getTime();
      const dayNo = Math.floor((t + SHANGHAI_OFFSET_MS) / 86_400_000);
      let day = dayNames.get(dayNo);
      if (!day) dayNames.set(dayNo, (day = shanghaiDate(new Date(t))));
      const perDay = days.get(day) ?? {};
      days.set(day, perDay);
      for (const m of metrics) {
        const v = values[m];
        if (typeof v !== 'number') continue;
        const a = acc[m];
        a.sum += v;
        a.n++;
        a.min = Math.min(a.min, v);
        a.max = Math.max(a.max, v);
        const d = (perDay[m] ??= { sum: 0, n: 0 });
        d.sum += v;
        d.n++;
      }
      primary.push(Number(values[metrics[0]]));
    }
    const digits = (m: string) => (m === 'mmolL' || m === 'celsius' || m === 'bmi' || m === 'kg' ? 1 : 0);
    const stats = Object.fromEntries(
      metrics
        .filter((m) => acc[m].n > 0 || m !== 'pulse')
        .map((m) => {
          const a = acc[m];
          return [
            m,
            a.n ? { avg: round(a.sum / a.n, digits(m)), min: a.min, max: a.max } : { avg: null, min: null, max: null },
          ];
        }),
    );
    const count = rows.length;
    return {
      patientId: patient.id,
      type: q.type,
      days: q.days,
      from: toShanghaiIso(from),
      to: toShanghaiIso(now),
      count,
      metrics: stats,
      classes: this.d.rules.classesOf(q.type).map((c) => {
        const n = classCounts.get(c.code) ?? 0;
        return { ...c, count: n, share: count ? round(n / count, 3) : 0 };
      }),
      trend: { metric: metrics[0], ...trendOf(primary) },
      daily: [...days.entries()].map(([date, per]) => ({
        date,
        values: Object.fromEntries(Object.entries(per).map(([m, d]) => [m, round(d.sum / d.n, digits(m))])),
      })),
      bands: this.d.rules.bands(q.type),
      source: this.d.rules.sourceOf(q.type),
    };
  }

  /** Every measurement of the patient as FHIR R4 Observations (vital signs, LOINC, UCUM) in a collection Bundle. */
  async fhir(userId: string, patientId: string) {
    const patient = await findHealthPatient(this.d.db.sql, this.d.accounts, userId, patientId);
    const rows = await this.d.db.sql.all<RecordRow>(
      `SELECT ${SELECT_RECORD} FROM health_records r WHERE r.patient_id = ? ORDER BY r.measured_at, r.id`,
      [patient.id],
    );
    return toObservationBundle(
      patient.id,
      rows.map((r) => this.toDto(r)),
    );
  }

  async profile(userId: string, patientId: string): Promise<ProfileDto> {
    const p = await findHealthPatient(this.d.db.sql, this.d.accounts, userId, patientId);
    const data: StoredProfile =
      p.profileEnc && p.profileId
        ? (JSON.parse(
            this.d.cipher.decrypt(p.profileEnc, slotOf('health_profiles', 'data_enc', p.profileId)),
          ) as StoredProfile)
        : {};
    const updated = p.profileId
      ? await this.d.db.sql.one<{ updatedAt: unknown }>(
          'SELECT updated_at AS "updatedAt" FROM health_profiles WHERE id = ?',
          [p.profileId],
        )
      : undefined;
    return {
      patientId: p.id,
      heightCm: p.heightCm,
      bloodType: data.bloodType ?? 'unknown',
      rhNegative: data.rhNegative ?? false,
      allergies: data.allergies ?? [],
      chronicConditions: data.chronicConditions ?? [],
      medications: data.medications ?? [],
      surgeries: data.surgeries ?? [],
      familyHistory: data.familyHistory ?? [],
      updatedAt: updated ? toShanghaiIso(asDate(updated.updatedAt)) : null,
    };
  }

  /** Updates the fields sent; the lists are encrypted together (privacy/rotation.ts lists the column). */
  async saveProfile(userId: string, body: ProfileBody): Promise<ProfileDto> {
    const current = await this.profile(userId, body.patientId);
    const { patientId, heightCm, ...rest } = body;
    const next = { ...current, ...rest, heightCm: heightCm === undefined ? current.heightCm : heightCm };
    const data: StoredProfile = {
      bloodType: next.bloodType,
      rhNegative: next.rhNegative,
      allergies: next.allergies,
      chronicConditions: next.chronicConditions,
      medications: next.medications,
      surgeries: next.surgeries,
      familyHistory: next.familyHistory,
    };
    const now = new Date();
    await this.d.db.writeSql(async (sql) => {
      // A racing save of the same account waits for this one (no second INSERT against the unique index), and
      // the patient is checked again inside the write: one erased meanwhile gets nothing written back.
      await lockAccount(sql, userId);
      await findHealthPatient(sql, this.d.accounts, userId, patientId);
      const existing = await sql.one<{ id: string }>('SELECT id FROM health_profiles WHERE patient_id = ?', [
        patientId,
      ]);
      const id = existing?.id ?? newId('hp');
      const enc = this.d.cipher.encrypt(JSON.stringify(data), slotOf('health_profiles', 'data_enc', id));
      if (existing) {
        await sql.run('UPDATE health_profiles SET height_cm = ?, data_enc = ?, updated_at = ? WHERE id = ?', [
          next.heightCm,
          enc,
          now,
          id,
        ]);
      } else {
        await sql.run(
          `INSERT INTO health_profiles (id, patient_id, height_cm, data_enc, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
          [id, patientId, next.heightCm, enc, now, now],
        );
      }
    });
    return { ...next, updatedAt: toShanghaiIso(now) };
  }

  /** 时间线: the patient's appointments, stored reports and measurements, newest first (at most `limit`). */
  async timeline(userId: string, patientId: string, limit = 50): Promise<{ items: TimelineEntryDto[] }> {
    const p = await findHealthPatient(this.d.db.sql, this.d.accounts, userId, patientId);
    const sql = this.d.db.sql;
    const [appointments, reports, records] = await Promise.all([
      sql.all<{ id: string; at: unknown; status: string; doctor: string; hospital: string }>(
        `SELECT a.id, s.start_at AS at, a.status, d.name AS doctor, h.name AS hospital
         FROM appointments a JOIN slots s ON s.id = a.slot_id JOIN doctors d ON d.id = a.doctor_id
         JOIN hospitals h ON h.id = a.hospital_id
         WHERE a.patient_id = ? ORDER BY s.start_at DESC LIMIT ?`,
        [p.id, limit],
      ),
      sql.all<{ id: string; at: unknown; titleEnc: string; hospital: string }>(
        `SELECT r.id, r.reported_at AS at, r.title_enc AS "titleEnc", h.name AS hospital
         FROM reports r JOIN hospitals h ON h.id = r.hospital_id
         WHERE r.patient_id = ? AND r.status IN ('final', 'amended') ORDER BY r.reported_at DESC LIMIT ?`,
        [p.id, p.verified ? limit : 0], // reports belong to a verified identity only (reports/access.ts)
      ),
      sql.all<RecordRow>(
        `SELECT ${SELECT_RECORD} FROM health_records r WHERE r.patient_id = ? ORDER BY r.measured_at DESC LIMIT ?`,
        [p.id, limit],
      ),
    ]);
    const entries: Array<TimelineEntryDto & { t: number }> = [
      ...appointments.map((a) => ({
        kind: 'appointment' as const,
        id: a.id,
        at: toShanghaiIso(asDate(a.at)),
        t: asDate(a.at).getTime(),
        title: `预约 ${a.hospital} ${a.doctor}`,
        detail: APPOINTMENT_STATUS[a.status] ?? null,
        level: null,
      })),
      ...reports.map((r) => ({
        kind: 'report' as const,
        id: r.id,
        at: toShanghaiIso(asDate(r.at)),
        t: asDate(r.at).getTime(),
        title: this.d.cipher.decrypt(r.titleEnc, slotOf('reports', 'title_enc', r.id)),
        detail: r.hospital,
        level: null,
      })),
      ...records.map((r) => {
        const dto = this.toDto(r);
        return {
          kind: 'measurement' as const,
          id: r.id,
          at: dto.measuredAt,
          t: asDate(r.measuredAt).getTime(),
          title: `${TYPE_LABELS[r.type]} ${describe(r.type, dto.values)}`,
          detail: dto.classification.label,
          level: dto.classification.level as Level,
        };
      }),
    ];
    entries.sort((a, b) => b.t - a.t);
    return { items: entries.slice(0, limit).map(({ t: _t, ...e }) => e) };
  }
}
