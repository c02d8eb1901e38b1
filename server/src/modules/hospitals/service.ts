import { Op, literal, type WhereOptions } from 'sequelize';
import type { Db } from '../../db';
import { AppError, notFound } from '../../http/errors';
import type { Page, PageQuery } from '../../http/schemas';
import { HisUnavailableError, type HisClient } from '../../his/types';
import type { Logger } from '../../logger';
import { Refresher } from '../../lib/refresher';
import { toShanghaiIsoOrNull } from '../../lib/time';
import type { PiiCipher } from '../../privacy/cipher';
import { Department, Doctor, Hospital } from './models';
import type {
  DepartmentDto,
  DoctorDetailDto,
  DoctorDto,
  HospitalDto,
  HospitalSummaryDto,
  ListHospitalsQuery,
} from './schemas';
import { syncHospitalCatalog } from './sync';

export interface HospitalServiceDeps {
  db: Db;
  his: HisClient;
  cipher: PiiCipher;
  log: Logger;
  catalogTtlMs: number;
}

const TITLE_ORDER = literal(
  "CASE title WHEN 'chief_physician' THEN 0 WHEN 'associate_chief_physician' THEN 1 ELSE 2 END",
);

/** Escapes LIKE wildcards so user text matches literally (with `ESCAPE '\'`). */
const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const paging = (q: PageQuery) => ({ limit: q.pageSize, offset: (q.page - 1) * q.pageSize });

export class HospitalService {
  private readonly catalog: Refresher;

  constructor(private readonly deps: HospitalServiceDeps) {
    this.catalog = new Refresher((key, err) =>
      deps.log.warn({ hospitalId: key, err: err.message }, 'catalog refresh failed'),
    );
  }

  async listHospitals(q: ListHospitalsQuery): Promise<Page<HospitalSummaryDto>> {
    const words = (q.q ?? '').split(/\s+/).filter(Boolean).slice(0, 5);
    const replacements: Record<string, string> = {};
    const conditions: WhereOptions[] = words.map((word, i) => {
      replacements[`w${i}`] = likePattern(word);
      return literal(`(name LIKE :w${i} ESCAPE '\\' OR address LIKE :w${i} ESCAPE '\\')`);
    });
    if (q.district) conditions.push({ district: q.district });
    const { rows, count } = await Hospital.findAndCountAll({
      where: { [Op.and]: conditions },
      replacements,
      order: [['code', 'ASC']],
      ...paging(q),
    });
    return { items: rows.map(toSummary), total: count, page: q.page, pageSize: q.pageSize };
  }

  async getHospital(id: string): Promise<HospitalDto> {
    const h = await this.findHospital(id);
    return {
      ...toSummary(h),
      phone: h.phone,
      intro: h.intro,
      hisStatus: this.deps.his.status(h.code),
      catalogSyncedAt: toShanghaiIsoOrNull(h.catalogSyncedAt),
    };
  }

  async listDepartments(hospitalId: string, q: PageQuery): Promise<Page<DepartmentDto>> {
    const h = await this.findHospital(hospitalId);
    await this.ensureCatalog(h);
    const { rows, count } = await Department.findAndCountAll({
      where: { hospitalId: h.id, active: true },
      order: [['sortOrder', 'ASC']],
      ...paging(q),
    });
    const counts = (await Doctor.count({
      where: { departmentId: rows.map((d) => d.id), active: true },
      group: ['departmentId'],
    })) as unknown as Array<{ departmentId: string; count: number }>;
    const countOf = new Map(counts.map((c) => [c.departmentId, Number(c.count)]));
    return {
      items: rows.map((d) => ({
        id: d.id,
        hospitalId: d.hospitalId,
        name: d.name,
        location: d.location,
        intro: d.intro,
        doctorCount: countOf.get(d.id) ?? 0,
      })),
      total: count,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async listDoctors(departmentId: string, q: PageQuery): Promise<Page<DoctorDto>> {
    const dep = await Department.findOne({ where: { id: departmentId, active: true } });
    if (!dep) throw notFound('科室');
    await this.ensureCatalog(await this.findHospital(dep.hospitalId));
    const { rows, count } = await Doctor.findAndCountAll({
      where: { departmentId: dep.id, active: true },
      order: [
        [TITLE_ORDER, 'ASC'],
        ['hisCode', 'ASC'],
      ],
      ...paging(q),
    });
    return {
      items: rows.map(toDoctorDto),
      total: count,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async getDoctor(id: string): Promise<DoctorDetailDto> {
    const d = await Doctor.findOne({ where: { id, active: true } });
    if (!d) throw notFound('医生');
    const [dep, h] = await Promise.all([Department.findByPk(d.departmentId), Hospital.findByPk(d.hospitalId)]);
    return {
      ...toDoctorDto(d),
      department: { id: dep!.id, name: dep!.name, location: dep!.location },
      hospital: { id: h!.id, name: h!.name },
    };
  }

  private stopping = false;

  /** Stops starting new syncs and waits for the running ones (shutdown). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.catalog.idle();
  }

  /** Syncs every hospital's catalog, a few at a time; failures are logged, not thrown. */
  async syncAll(concurrency = 4): Promise<{ synced: number; failed: string[] }> {
    const hospitals = await Hospital.findAll({ order: [['code', 'ASC']] });
    const failed: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < hospitals.length && !this.stopping) {
        const h = hospitals[next++];
        try {
          await this.refresh(h);
        } catch (err) {
          failed.push(h.code);
          this.deps.log.warn({ hospital: h.code, err: (err as Error).message }, 'catalog sync failed');
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { synced: hospitals.length - failed.length, failed };
  }

  /** Served from our copy; only a never-synced hospital waits for (or fails with) its HIS. */
  private async ensureCatalog(h: Hospital): Promise<void> {
    try {
      await this.catalog.ensure(h.id, h.catalogSyncedAt, this.deps.catalogTtlMs, () => this.syncOne(h));
    } catch (err) {
      throw err instanceof HisUnavailableError ? hisUnavailable(h) : err;
    }
  }

  private refresh(h: Hospital): Promise<void> {
    return this.catalog.refresh(h.id, () => this.syncOne(h));
  }

  private syncOne(h: Hospital) {
    return syncHospitalCatalog(this.deps, h);
  }

  private async findHospital(id: string): Promise<Hospital> {
    const h = await Hospital.findByPk(id);
    if (!h) throw notFound('医院');
    return h;
  }
}

export function hisUnavailable(h: Hospital): AppError {
  return new AppError(503, 'HIS_UNAVAILABLE', `${h.name}的医院系统暂时无法连接，请稍后再试`, {
    hospitalId: h.id,
  });
}

function toDoctorDto(d: Doctor): DoctorDto {
  return {
    id: d.id,
    hospitalId: d.hospitalId,
    departmentId: d.departmentId,
    name: d.name,
    gender: d.gender,
    title: d.title,
    specialty: d.specialty,
    intro: d.intro,
    photoUrl: d.photoUrl ?? null,
  };
}

function toSummary(h: Hospital): HospitalSummaryDto {
  return { id: h.id, name: h.name, level: h.level, district: h.district, address: h.address };
}
