import { UniqueConstraintError, type Transaction } from 'sequelize';
import { ageOn, checkIdNumber } from '../../../../common/id-card';
import { maskIdNumber, maskPhone } from '../../../../common/mask';
import type { Db } from '../../db';
import { AppError, conflict } from '../../http/errors';
import type { Limiter } from '../../http/rate-limit';
import type { Page, PageQuery } from '../../http/schemas';
import type { IdentityVerifier, VerificationResult } from '../../integrations/identity';
import { newId } from '../../lib/ids';
import { shanghaiDate, toShanghaiIso } from '../../lib/time';
import { findOwnPatient } from '../../privacy/access';
import type { PiiCipher } from '../../privacy/cipher';
import type { AccountService } from '../accounts/service';
import { User } from '../accounts/models';
import { ERASED } from './erase';
import { Patient } from './models';
import type { CreatePatientInput, PatientDto, UpdatePatientInput } from './schemas';

export const MAX_PATIENTS = 5;
const GUARDIAN_AGE = 14;

export interface PatientDeps {
  db: Db;
  cipher: PiiCipher;
  verifier: IdentityVerifier;
  accounts: AccountService;
  limits: Limiter<'verifyPerAccount'>;
}

/** 就诊人: the real-name people an account books for. */
export class PatientService {
  constructor(private readonly d: PatientDeps) {}

  async list(userId: string, q: PageQuery): Promise<Page<PatientDto>> {
    const { rows, count } = await Patient.findAndCountAll({
      where: { userId, deletedAt: null },
      order: [['createdAt', 'ASC']],
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return { items: rows.map(toDto), total: count, page: q.page, pageSize: q.pageSize };
  }

  async get(userId: string, id: string): Promise<PatientDto> {
    return toDto(await findOwnPatient(userId, id));
  }

  async create(userId: string, input: CreatePatientInput): Promise<PatientDto> {
    await this.d.accounts.requireConsent(userId);
    const derived = derive(input.idNumber);
    const idHash = this.d.cipher.blindIndex('id_number', input.idNumber);
    if (input.relation === 'self' && derived.age < GUARDIAN_AGE) {
      throw new AppError(422, 'SELF_UNDER_14', '未满14周岁不能作为本人注册，请由监护人添加为就诊人');
    }
    await this.d.limits.consume('verifyPerAccount', userId);
    const verification = await this.d.verifier.verify({ name: input.name, idNumber: input.idNumber });

    return this.unique(() =>
      this.d.db.write(async (transaction) => {
        await User.findByPk(userId, { transaction, lock: true }); // serialises one account's changes on PostgreSQL
        const mine = await Patient.findAll({ where: { userId, deletedAt: null }, transaction });
        if (mine.length >= MAX_PATIENTS) {
          throw conflict('TOO_MANY_PATIENTS', `每个账号最多添加${MAX_PATIENTS}位就诊人`);
        }
        const self = mine.find((p) => p.relation === 'self');
        if (!self && input.relation !== 'self') {
          throw new AppError(422, 'FIRST_MUST_BE_SELF', '请先添加本人作为第一位就诊人');
        }
        if (self && input.relation === 'self') throw conflict('SELF_EXISTS', '本账号已登记本人，不能重复添加');
        if (mine.some((p) => p.idNumberHash === idHash)) throw conflict('PATIENT_EXISTS', '该就诊人已添加');
        await this.assertNotSelfElsewhere(input.relation, idHash, userId, transaction);

        const row = await Patient.create(
          {
            id: newId('pat'),
            userId,
            name: input.name,
            ...this.sensitive(input.idNumber, input.phone),
            sex: derived.sex,
            birthDate: derived.birthDate,
            relation: input.relation,
            guardianPatientId: derived.age < GUARDIAN_AGE ? self!.id : null,
            ...verificationFields(verification),
          },
          { transaction },
        );
        return toDto(row);
      }),
    );
  }

  async update(userId: string, id: string, patch: UpdatePatientInput): Promise<PatientDto> {
    await this.d.accounts.requireConsent(userId);
    const current = await findOwnPatient(userId, id);
    if (
      patch.relation &&
      patch.relation !== current.relation &&
      (patch.relation === 'self' || current.relation === 'self')
    ) {
      throw conflict('RELATION_SELF_FIXED', '“本人”关系不能修改');
    }
    const idNumber = patch.idNumber ?? this.d.cipher.decrypt(current.idNumberEnc!);
    const name = patch.name ?? current.name;
    const identityChanged = idNumber !== this.d.cipher.decrypt(current.idNumberEnc!) || name !== current.name;
    const derived = derive(idNumber);
    if (current.relation === 'self' && derived.age < GUARDIAN_AGE) {
      throw new AppError(422, 'SELF_UNDER_14', '未满14周岁不能作为本人注册，请由监护人添加为就诊人');
    }
    let verification: VerificationResult | undefined;
    if (identityChanged) {
      await this.d.limits.consume('verifyPerAccount', userId);
      verification = await this.d.verifier.verify({ name, idNumber });
    }

    return this.unique(() =>
      this.d.db.write(async (transaction) => {
        const row = await findOwnPatient(userId, id, { transaction, lock: true });
        const idHash = this.d.cipher.blindIndex('id_number', idNumber);
        if (idHash !== row.idNumberHash) {
          const dup = await Patient.count({ where: { userId, idNumberHash: idHash, deletedAt: null }, transaction });
          if (dup) throw conflict('PATIENT_EXISTS', '该就诊人已添加');
          await this.assertNotSelfElsewhere(row.relation, idHash, userId, transaction);
        }
        const self = await Patient.findOne({ where: { userId, relation: 'self', deletedAt: null }, transaction });
        await row.update(
          {
            name,
            ...this.sensitive(idNumber, patch.phone ?? this.d.cipher.decrypt(row.phoneEnc!)),
            sex: derived.sex,
            birthDate: derived.birthDate,
            relation: patch.relation ?? row.relation,
            guardianPatientId: derived.age < GUARDIAN_AGE && row.relation !== 'self' ? (self?.id ?? null) : null,
            ...(verification ? verificationFields(verification) : {}),
          },
          { transaction },
        );
        return toDto(row);
      }),
    );
  }

  /** Verifies again, e.g. after the provider was unavailable. */
  async reverify(userId: string, id: string): Promise<PatientDto> {
    const current = await findOwnPatient(userId, id);
    await this.d.limits.consume('verifyPerAccount', userId);
    const result = await this.d.verifier.verify({
      name: current.name,
      idNumber: this.d.cipher.decrypt(current.idNumberEnc!),
    });
    return this.d.db.write(async (transaction) => {
      const row = await findOwnPatient(userId, id, { transaction, lock: true });
      await row.update(verificationFields(result), { transaction });
      return toDto(row);
    });
  }

  /** Removes a patient and erases their ID number and phone; 本人 goes last. */
  async remove(userId: string, id: string): Promise<void> {
    await this.d.db.write(async (transaction) => {
      const row = await findOwnPatient(userId, id, { transaction, lock: true });
      if (row.relation === 'self') {
        const others = await Patient.count({ where: { userId, deletedAt: null }, transaction });
        if (others > 1) throw conflict('SELF_HAS_DEPENDANTS', '请先删除其他就诊人，再删除本人');
      }
      await row.update(
        { ...ERASED, name: row.name, idNumberMasked: row.idNumberMasked, deletedAt: new Date() },
        { transaction },
      );
    });
  }

  private sensitive(idNumber: string, phone: string) {
    return {
      idNumberEnc: this.d.cipher.encrypt(idNumber),
      idNumberHash: this.d.cipher.blindIndex('id_number', idNumber),
      idNumberMasked: maskIdNumber(idNumber),
      phoneEnc: this.d.cipher.encrypt(phone),
      phoneMasked: maskPhone(phone),
    };
  }

  private async assertNotSelfElsewhere(rel: string, idHash: string, userId: string, transaction: Transaction) {
    if (rel !== 'self') return;
    const elsewhere = await Patient.findOne({
      where: { idNumberHash: idHash, relation: 'self', deletedAt: null },
      transaction,
    });
    if (elsewhere && elsewhere.userId !== userId) {
      throw conflict('ID_ALREADY_SELF', '该身份证号已在其他账号登记为本人');
    }
  }

  /** Concurrent requests can still meet the database's unique indexes; answer them like the checks above. */
  private async unique<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof UniqueConstraintError)
        throw conflict('PATIENT_CONFLICT', '就诊人信息与已有记录冲突，请刷新后重试');
      throw err;
    }
  }
}

function derive(idNumber: string) {
  const today = shanghaiDate();
  const check = checkIdNumber(idNumber, today);
  if (!check.ok) throw new AppError(422, 'ID_NUMBER_INVALID', '身份证号无效');
  return { ...check.info, age: ageOn(check.info.birthDate, today) };
}

function verificationFields(v: VerificationResult) {
  return {
    verificationStatus: v.status,
    verificationReason: v.status === 'verified' ? null : v.reason,
    verifiedAt: v.status === 'verified' ? new Date() : null,
  };
}

export function toDto(p: Patient): PatientDto {
  const age = ageOn(p.birthDate, shanghaiDate());
  return {
    id: p.id,
    name: p.name,
    idNumber: p.idNumberMasked,
    phone: p.phoneMasked,
    sex: p.sex,
    age,
    relation: p.relation,
    isMinor: age < GUARDIAN_AGE,
    guardianPatientId: p.guardianPatientId ?? null,
    verification: {
      status: p.verificationStatus,
      reason: p.verificationReason ?? null,
      verifiedAt: p.verifiedAt ? toShanghaiIso(p.verifiedAt) : null,
    },
    canBook: p.verificationStatus === 'verified',
    createdAt: toShanghaiIso(p.createdAt),
  };
}
