import type { Bundle } from '@medplum/fhirtypes';
import type { Db } from '../../db';
import { asDate, type SqlValue } from '../../db/sql';
import type { HisClient } from '../../his/types';
import { shanghaiDayStart, toShanghaiIso, toShanghaiIsoOrNull } from '../../lib/time';
import type { Logger } from '../../logger';
import type { PiiCipher } from '../../privacy/cipher';
import type { AccountService } from '../accounts/service';
import { maskName } from '../../../../common/mask';
import { findOwnReport, findReader } from './access';
import { birthDateOf, decryptContent, decryptTitle, subjectOf } from './content';
import { toFhirBundle } from './fhir';
import { MAX_CACHED_REPORTS, ReportListCache, pageOfItems } from './list-cache';
import { readAllReleased, readListPage, readListScope } from './list-query';
import { ReportLookup, type LookupOptions } from './lookup';
import type { InterpretationRules } from './rules';
import type { ObservationQuery, ObservationsDto, ReportDetailDto, ReportListQuery, ReportPageDto } from './schemas';
import { observationsOf } from './trends';
import { ReportRenderer, maskedPerson } from './view';

export interface ReportServiceDeps {
  db: Db;
  his: HisClient;
  cipher: PiiCipher;
  rules: InterpretationRules;
  accounts: AccountService;
  log: Logger;
}

const nextDay = (date: string) => new Date(shanghaiDayStart(date).getTime() + 86_400_000);

/**
 * 报告查询: a patient's released reports from every hospital (or one),
 * served from our copy within the freshness window and fetched through
 * HisClient otherwise; one report interpreted; an analyte's trend; a report as
 * FHIR. Every call checks consent, ownership and verification first (./access.ts).
 */
export class ReportService {
  readonly lookup: ReportLookup;
  private readonly lists: ReportListCache;
  private readonly renderer: ReportRenderer;

  constructor(
    private readonly d: ReportServiceDeps,
    private readonly o: LookupOptions,
  ) {
    this.lookup = new ReportLookup(d, o);
    this.lists = new ReportListCache(d.cipher);
    this.renderer = new ReportRenderer(d.cipher, d.rules);
  }

  /**
   * On the warm path one statement after the session check (./list-query.ts),
   * the page coming from the patient's list kept in memory while its version
   * holds (./list-cache.ts). When a hospital's copy is stale, the stale
   * hospitals are asked first (./lookup.ts).
   */
  async list(userId: string, q: ReportListQuery): Promise<ReportPageDto> {
    const freshBefore = new Date(Date.now() - this.o.freshMs);
    let scope = await readListScope(this.d.db.sql, this.d.accounts, userId, q, freshBefore);
    let unavailableHospitalIds: string[] = [];
    if (!scope.fresh) {
      unavailableHospitalIds = await this.lookup.refresh(scope.patient, q.hospitalId);
      scope = await readListScope(this.d.db.sql, this.d.accounts, userId, q, freshBefore);
    }
    const patientId = scope.patient.id;
    let items = this.lists.get(patientId, scope.version);
    if (!items && Number(scope.version.split('/')[0]) <= MAX_CACHED_REPORTS) {
      items = this.lists.put(patientId, scope.version, await readAllReleased(this.d.db.sql, patientId));
    }
    const page = items ? pageOfItems(items, q) : await this.pageFromDb(patientId, q);
    return { ...page, page: q.page, pageSize: q.pageSize, unavailableHospitalIds };
  }

  /** A page read by the database, for a patient with too many reports to keep in memory. */
  private async pageFromDb(patientId: string, q: ReportListQuery) {
    const { rows, total } = await readListPage(this.d.db.sql, patientId, q);
    return {
      items: rows.map((r) => ({
        id: r.id,
        patientId,
        hospitalId: r.hospitalId,
        hospitalName: r.hospitalName,
        type: r.type,
        title: decryptTitle(this.d.cipher, r.id, r.titleEnc),
        reportedAt: toShanghaiIso(asDate(r.reportedAt)),
        abnormalCount: Number(r.abnormalCount),
        criticalCount: Number(r.criticalCount),
        amended: r.status === 'amended',
      })),
      total,
    };
  }

  /**
   * One report, interpreted. Within the freshness window it is served from our
   * copy; after it, the hospital is asked again first (a withdrawn or amended
   * version then shows), and if it cannot be reached the stored copy is served.
   */
  async get(userId: string, reportId: string): Promise<ReportDetailDto> {
    const { row, patient } = await this.readOwn(userId, reportId);
    const { body, person, age } = this.renderer.render(row, patient);
    return {
      id: reportId,
      patient: { id: patient.id, ...maskedPerson(person, age), idNumber: patient.idNumberMasked },
      hospital: { id: row.hospitalId, name: row.hospitalName },
      ...body,
      fetchedAt: toShanghaiIsoOrNull(row.fetchedAt ? asDate(row.fetchedAt) : null),
    };
  }

  async fhir(userId: string, reportId: string): Promise<Bundle> {
    const { row, patient } = await this.readOwn(userId, reportId);
    const { body, person } = this.renderer.render(row, patient);
    return toFhirBundle(
      {
        reportId,
        hisCode: row.hisCode,
        hospital: { code: row.hospitalCode, name: row.hospitalName },
        patient: {
          id: patient.id,
          maskedName: maskName(patient.name),
          maskedIdNumber: patient.idNumberMasked,
          sex: patient.sex,
          birthYear: person.birthDate.slice(0, 4),
        },
        body,
      },
      this.d.rules,
    );
  }

  async observations(userId: string, patientId: string, q: ObservationQuery): Promise<ObservationsDto> {
    const patient = await findReader(this.d.db.sql, this.d.accounts, userId, patientId);
    const birthDate = birthDateOf(this.d.cipher, patient);
    const where = [`patient_id = ?`, `type = 'lab'`, `status IN ('final', 'amended')`];
    const params: SqlValue[] = [patient.id];
    if (q.from) {
      where.push('reported_at >= ?');
      params.push(shanghaiDayStart(q.from));
    }
    if (q.to) {
      where.push('reported_at < ?');
      params.push(nextDay(q.to));
    }
    const rows = await this.d.db.sql.all<Record<string, unknown>>(
      `SELECT id, hospital_id AS "hospitalId", reported_at AS "reportedAt", content_enc AS "contentEnc"
       FROM reports WHERE ${where.join(' AND ')} ORDER BY reported_at, id`,
      params,
    );
    const sources = rows.map((r) => {
      const reportedAt = asDate(r.reportedAt);
      return {
        reportId: r.id as string,
        hospitalId: r.hospitalId as string,
        reportedAt,
        items: decryptContent(this.d.cipher, r.id as string, r.contentEnc as string).items,
        subject: subjectOf(patient.sex, birthDate, reportedAt),
      };
    });
    return observationsOf(q.code, sources, this.d.rules);
  }

  /** The caller's report, refreshed from its hospital first when our copy is stale. */
  private async readOwn(userId: string, reportId: string) {
    const found = await findOwnReport(this.d.db.sql, this.d.accounts, userId, reportId);
    const fetchedAt = found.row.fetchedAt ? asDate(found.row.fetchedAt).getTime() : 0;
    if (Date.now() - fetchedAt < this.o.freshMs) return found;
    await this.lookup.refresh(found.patient, found.row.hospitalId);
    return findOwnReport(this.d.db.sql, this.d.accounts, userId, reportId);
  }
}
