import { AppError } from '../../http/errors';
import type { HospitalService } from '../hospitals/service';
import { DISCLAIMER, TriageEngine } from './engine';
import type { TriageKnowledge } from './knowledge';
import type { AssessBody } from './schemas';

/** Smart triage: the engine over the checked knowledge base, and the way from its advice to a booking. */
export class TriageService {
  readonly engine: TriageEngine;
  private readonly catalog;

  constructor(
    readonly kb: TriageKnowledge,
    private readonly hospitals: Pick<HospitalService, 'listDepartments'>,
  ) {
    this.engine = new TriageEngine(kb);
    this.catalog = {
      areas: kb.areas,
      symptoms: kb.symptoms.map((s) => ({
        code: s.code,
        name: s.name,
        area: s.area,
        ...(s.sex ? { sex: s.sex } : {}),
        ...(s.age?.min !== undefined ? { minAge: s.age.min } : {}),
        ...(s.age?.max !== undefined ? { maxAge: s.age.max } : {}),
      })),
      departments: kb.departments.map((d) => d.name),
      reviewed: kb.reviewed,
      disclaimer: DISCLAIMER,
    };
  }

  knowledge() {
    return this.catalog;
  }

  assess(body: AssessBody) {
    for (const code of [...body.symptoms, ...Object.keys(body.answers ?? {})]) {
      const s = this.kb.symptomByCode.get(code);
      if (!s) throw new AppError(422, 'UNKNOWN_SYMPTOM', `未知的症状：${code}`, { code });
      if (!this.engine.applies(s, body.age, body.sex) && (body.symptoms.includes(code) || body.answers?.[code]))
        throw new AppError(422, 'SYMPTOM_NOT_APPLICABLE', `“${s.name}”不适用于所填的年龄或性别`, { code });
    }
    return { ...this.engine.assess(body), disclaimer: DISCLAIMER };
  }

  /** The hospital's own department for a standard name (or its fallback); 404 when it has none. */
  async matchDepartment(hospitalId: string, name: string) {
    if (!this.kb.departmentByName.has(name)) throw new AppError(422, 'UNKNOWN_DEPARTMENT', `未知的科室：${name}`);
    const { items } = await this.hospitals.listDepartments(hospitalId, { page: 1, pageSize: 100 });
    const hit = this.engine.mapToHospital(name, items);
    if (!hit)
      throw new AppError(404, 'DEPARTMENT_NOT_OFFERED', `该医院暂未开设${name}，请选择其他医院`, { hospitalId });
    return {
      hospitalId,
      departmentId: hit.department.id,
      departmentName: hit.department.name,
      standardName: name,
      via: hit.via,
    };
  }
}
