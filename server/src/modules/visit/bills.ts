import { yuan } from '../../../../common/money';
import type { Db } from '../../db';
import { AppError, notFound } from '../../http/errors';
import { HisRejectedError, HisUnavailableError, type HisBill, type HisClient } from '../../his/types';
import { newId } from '../../lib/ids';
import type { Logger } from '../../logger';
import type { PiiCipher } from '../../privacy/cipher';
import type { AccountService } from '../accounts/service';
import { hisUnavailable } from '../hospitals/service';
import { targetOf } from '../hospitals/sync';
import { findReader } from '../reports/access';
import { idNumberOf, type ReportPatient } from '../reports/content';
import type { BillDetailDto, BillSummaryDto, VisitBillsDto } from './schemas';

type Problem = BillSummaryDto['problems'][number];

/**
 * Whether a bill's parts add up, exactly, in integer fen: each line's amount
 * is quantity × unit price, the lines sum to the total, and the insurance
 * (医保统筹) and self-pay (自费) parts sum to the total too. Each mismatch is
 * named so the page can say what does not add up.
 */
export function checkBill(b: HisBill): Problem[] {
  const problems: Problem[] = [];
  b.items.forEach((item, i) => {
    const expected = item.quantity * item.unitPriceFen;
    if (expected !== item.amountFen)
      problems.push({
        kind: 'line_amount',
        line: i + 1,
        message: `第${i + 1}项“${item.name}”：数量×单价为${yuan(expected)}，金额却为${yuan(item.amountFen)}`,
      });
  });
  const sum = b.items.reduce((n, i) => n + i.amountFen, 0);
  if (sum !== b.totalFen)
    problems.push({
      kind: 'total',
      message: `各项金额合计${yuan(sum)}，与总金额${yuan(b.totalFen)}不符`,
    });
  if (b.insuranceFen + b.selfPayFen !== b.totalFen)
    problems.push({
      kind: 'split',
      message: `医保统筹${yuan(b.insuranceFen)}与自费${yuan(b.selfPayFen)}之和，与总金额${yuan(b.totalFen)}不符`,
    });
  return problems;
}

interface BillPatient extends ReportPatient {
  hospitals: Array<{ id: string; code: string; name: string; hisBaseUrl: string; hisSecretEnc: string | null }>;
}

export interface BillQuery {
  patientId: string;
  hospitalId?: string;
  from?: string;
  to?: string;
  status?: 'paid' | 'unpaid';
  page: number;
  pageSize: number;
}

/**
 * 费用查询: a patient's bills, read from the hospitals each time (we keep
 * only an id per bill so that it can be named in a URL). Money is integer fen
 * throughout; a bill that does not add up is returned marked `inconsistent`
 * with what is wrong, and logged as the hospital's data error (codes and
 * kinds only, no amounts or items).
 */
export class BillService {
  constructor(
    private readonly d: { db: Db; his: HisClient; cipher: PiiCipher; accounts: AccountService; log: Logger },
  ) {}

  /** Consent, ownership, verification (bills are found by ID number): the reports module's one-statement check. */
  private async reader(userId: string, patientId: string): Promise<ReportPatient> {
    try {
      return await findReader(this.d.db.sql, this.d.accounts, userId, patientId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'PATIENT_NOT_VERIFIED')
        throw new AppError(403, 'PATIENT_NOT_VERIFIED', '就诊人未通过实名认证，暂不能查询费用');
      throw err;
    }
  }

  /** The hospitals to ask: the one named, else every hospital the patient has had an appointment or a bill at. */
  private hospitals(patientId: string, hospitalId?: string): Promise<BillPatient['hospitals']> {
    const cols = `h.id, h.code, h.name, h.his_base_url AS "hisBaseUrl", h.his_secret_enc AS "hisSecretEnc"`;
    if (hospitalId) return this.d.db.sql.all(`SELECT ${cols} FROM hospitals h WHERE h.id = ?`, [hospitalId]);
    return this.d.db.sql.all(
      `SELECT ${cols} FROM hospitals h WHERE h.id IN (SELECT hospital_id FROM appointments WHERE patient_id = ?)
         OR h.id IN (SELECT hospital_id FROM bills WHERE patient_id = ?) ORDER BY h.code`,
      [patientId, patientId],
    );
  }

  async list(userId: string, q: BillQuery) {
    const patient = await this.reader(userId, q.patientId);
    const hospitals = await this.hospitals(patient.id, q.hospitalId);
    if (q.hospitalId && !hospitals.length) throw notFound('医院');
    const idNumber = idNumberOf(this.d.cipher, patient);
    const unavailable: string[] = [];
    const answers = await Promise.all(
      hospitals.map(async (h) => {
        try {
          const bills = await this.d.his.queryBills(targetOf(h, this.d.cipher), { idNumber, from: q.from, to: q.to });
          return { h, bills };
        } catch (err) {
          // A refusal other than "unknown patient" (already an empty answer) is this hospital's problem, not a 500.
          if (!(err instanceof HisUnavailableError || err instanceof HisRejectedError)) throw err;
          unavailable.push(h.id);
          return { h, bills: [] as HisBill[] };
        }
      }),
    );
    const summaries: BillSummaryDto[] = [];
    for (const { h, bills } of answers) {
      const ids = await this.idsOf(patient.id, h.id, bills);
      for (const b of bills) {
        if (q.status && b.status !== q.status) continue;
        summaries.push(this.summary(h, ids.get(b.code)!, b));
      }
    }
    const visits = new Map<string, VisitBillsDto>();
    for (const s of summaries) {
      const key = `${s.hospitalId}/${s.visitCode}`;
      const v = visits.get(key) ?? {
        hospitalId: s.hospitalId,
        hospitalName: s.hospitalName,
        visitCode: s.visitCode,
        visitDate: s.visitDate,
        department: s.department,
        totalFen: 0,
        insuranceFen: 0,
        selfPayFen: 0,
        unpaidFen: 0,
        inconsistent: false,
        bills: [],
      };
      v.totalFen += s.totalFen;
      v.insuranceFen += s.insuranceFen;
      v.selfPayFen += s.selfPayFen;
      if (s.status === 'unpaid') v.unpaidFen += s.selfPayFen;
      v.inconsistent ||= s.inconsistent;
      v.bills.push(s);
      visits.set(key, v);
    }
    const all = [...visits.values()].sort(
      (a, b) => b.visitDate.localeCompare(a.visitDate) || a.visitCode.localeCompare(b.visitCode),
    );
    const start = (q.page - 1) * q.pageSize;
    return {
      items: all.slice(start, start + q.pageSize),
      total: all.length,
      page: q.page,
      pageSize: q.pageSize,
      unavailableHospitalIds: unavailable.sort(),
    };
  }

  async get(userId: string, billId: string): Promise<BillDetailDto> {
    const row = await this.d.db.sql.one<{ patientId: string | null; hospitalId: string; hisCode: string }>(
      `SELECT p.id AS "patientId", b.hospital_id AS "hospitalId", b.his_code AS "hisCode" FROM bills b
       JOIN patients p ON p.id = b.patient_id AND p.user_id = ? AND p.deleted_at IS NULL WHERE b.id = ?`,
      [userId, billId],
    );
    if (!row?.patientId) throw notFound('账单');
    const patient = await this.reader(userId, row.patientId);
    const [h] = await this.hospitals(patient.id, row.hospitalId);
    let bills: HisBill[];
    try {
      bills = await this.d.his.queryBills(targetOf(h, this.d.cipher), { idNumber: idNumberOf(this.d.cipher, patient) });
    } catch (err) {
      if (err instanceof HisUnavailableError || err instanceof HisRejectedError) {
        throw hisUnavailable({ id: h.id, name: h.name } as never);
      }
      throw err;
    }
    const b = bills.find((x) => x.code === row.hisCode);
    if (!b) throw notFound('账单');
    const groups = new Map<HisBill['items'][number]['category'], BillDetailDto['groups'][number]>();
    for (const item of b.items) {
      const g = groups.get(item.category) ?? { category: item.category, amountFen: 0, items: [] };
      g.amountFen += item.amountFen;
      g.items.push(item);
      groups.set(item.category, g);
    }
    return { ...this.summary(h, billId, b), patientId: patient.id, items: b.items, groups: [...groups.values()] };
  }

  private summary(h: { id: string; code: string; name: string }, id: string, b: HisBill): BillSummaryDto {
    const problems = checkBill(b);
    if (problems.length)
      this.d.log.warn(
        { hospital: h.code, bill: b.code, problems: problems.map((p) => p.kind) },
        'hospital data error: bill does not add up',
      );
    return {
      id,
      hospitalId: h.id,
      hospitalName: h.name,
      code: b.code,
      visitCode: b.visitCode,
      visitDate: b.visitDate,
      department: b.department,
      status: b.status,
      totalFen: b.totalFen,
      insuranceFen: b.insuranceFen,
      selfPayFen: b.selfPayFen,
      itemCount: b.items.length,
      inconsistent: problems.length > 0,
      problems,
    };
  }

  /** Our id for each of the hospital's bill codes, made on first sight. */
  private async idsOf(patientId: string, hospitalId: string, bills: HisBill[]): Promise<Map<string, string>> {
    if (!bills.length) return new Map();
    const find = () =>
      this.d.db.sql.all<{ id: string; hisCode: string }>(
        'SELECT id, his_code AS "hisCode" FROM bills WHERE patient_id = ? AND hospital_id = ?',
        [patientId, hospitalId],
      );
    let known = new Map((await find()).map((r) => [r.hisCode, r.id]));
    const missing = bills.filter((b) => !known.has(b.code));
    if (missing.length) {
      const now = new Date();
      await this.d.db.writeSql(async (sql) => {
        for (const b of missing)
          await sql.run(
            `INSERT INTO bills (id, patient_id, hospital_id, his_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (patient_id, hospital_id, his_code) DO NOTHING`,
            [newId('bil'), patientId, hospitalId, b.code, now, now],
          );
      });
      known = new Map((await find()).map((r) => [r.hisCode, r.id]));
    }
    return known;
  }
}
