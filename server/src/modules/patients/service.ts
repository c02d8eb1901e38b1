import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import { ageOn, checkIdNumber, type IdCardInfo } from '../../../../common/id-card';
import { maskIdNumber, maskPhone } from '../../../../common/mask';
import type { Db } from '../../db';
import { AppError, conflict } from '../../http/errors';
import type { Limiter } from '../../http/rate-limit';
import type { Page, PageQuery } from '../../http/schemas';
import type { IdentityVerifier, VerificationResult } from '../../integrations/identity';
import { newId } from '../../lib/ids';
import { shanghaiDate, toShanghaiIso } from '../../lib/time';
import { findOwnPatient } from '../../privacy/access';
import { slotOf, type PiiCipher } from '../../privacy/cipher';
import type { AccountService } from '../accounts/service';
import { User } from '../accounts/models';
import type { Seats } from '../booking/seat';
import { erasePatients } from './erase';
import { Patient } from './models';
import type { CreatePatientInput, PatientDto, UpdatePatientInput } from './schemas';

export const MAX_PATIENTS = 5;
const GUARDIAN_AGE = 14;

export interface PatientDeps {
  db: Db;
  cipher: PiiCipher;
  verifier: IdentityVerifier;
  accounts: AccountService;
  seats: Seats;
  limits: Limiter<'verifyPerAccount'>;
}

const rejected = (reason: string) =>
  new AppError(422, 'IDENTITY_REJECTED', `实名认证未通过：${reason}。请核对姓名与身份证号`);

/** What a pending claim elsewhere becomes when the person verifies for themselves. */
const RELEASED_REASON = '该身份证号已由本人在其他账号完成实名认证';

/**
 * 就诊人: the real-name people an account books for.
 *
 * An ID number is held against other accounts only by a verified 本人: a
 * rejected check keeps no record at all, and an unverified (pending) claim
 * holds nothing, so knowing someone's ID number is not enough to lock them
 * out. When a verified 本人 meets a pending 本人 of the same ID number on
 * another account, the verified one wins and the pending one is released.
 * Whether an ID number is registered elsewhere is said only to a caller who
 * has passed verification for it.
 */
export class PatientService {
  constructor(private readonly d: PatientDeps) {}

  async list(userId: string, q: PageQuery): Promise<Page<PatientDto>> {
    const { rows, count } = await Patient.findAndCountAll({
      where: { userId, deletedAt: null },
      order: [['createdAt', 'ASC']],
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return { items: rows.map((p) => this.toDto(p)), total: count, page: q.page, pageSize: q.pageSize };
  }

  async get(userId: string, id: string): Promise<PatientDto> {
    return this.toDto(await findOwnPatient(userId, id));
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
    if (verification.status === 'rejected') throw rejected(verification.reason);

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
        const id = newId('pat');
        if (input.relation === 'self' && verification.status === 'verified') {
          await this.claimSelf(idHash, userId, transaction);
        }
        const row = await Patient.create(
          {
            id,
            userId,
            name: input.name,
            ...this.sensitive(id, input.idNumber, input.phone),
            sex: derived.sex,
            birthYear: Number(derived.birthDate.slice(0, 4)),
            relation: input.relation,
            guardianPatientId: derived.age < GUARDIAN_AGE ? self!.id : null,
            ...verificationFields(verification),
          },
          { transaction },
        );
        return this.toDto(row);
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
    const currentIdNumber = this.idNumberOf(current);
    const idNumber = patch.idNumber ?? currentIdNumber;
    const name = patch.name ?? current.name;
    const identityChanged = idNumber !== currentIdNumber || name !== current.name;
    const derived = derive(idNumber);
    if (current.relation === 'self' && derived.age < GUARDIAN_AGE) {
      throw new AppError(422, 'SELF_UNDER_14', '未满14周岁不能作为本人注册，请由监护人添加为就诊人');
    }
    let verification: VerificationResult | undefined;
    if (identityChanged) {
      await this.d.limits.consume('verifyPerAccount', userId);
      verification = await this.d.verifier.verify({ name, idNumber });
      // A change that fails the check is not made: the verified record stays as it was.
      if (verification.status === 'rejected') throw rejected(verification.reason);
    }

    return this.unique(() =>
      this.d.db.write(async (transaction) => {
        const row = await findOwnPatient(userId, id, { transaction, lock: true });
        const idHash = this.d.cipher.blindIndex('id_number', idNumber);
        if (idHash !== row.idNumberHash) {
          const dup = await Patient.count({ where: { userId, idNumberHash: idHash, deletedAt: null }, transaction });
          if (dup) throw conflict('PATIENT_EXISTS', '该就诊人已添加');
        }
        if (row.relation === 'self' && verification?.status === 'verified') {
          await this.claimSelf(idHash, userId, transaction);
        }
        const self = await Patient.findOne({ where: { userId, relation: 'self', deletedAt: null }, transaction });
        await row.update(
          {
            name,
            ...this.sensitive(row.id, idNumber, patch.phone ?? this.phoneOf(row)),
            sex: derived.sex,
            birthYear: Number(derived.birthDate.slice(0, 4)),
            relation: patch.relation ?? row.relation,
            guardianPatientId: derived.age < GUARDIAN_AGE && row.relation !== 'self' ? (self?.id ?? null) : null,
            ...(verification ? verificationFields(verification) : {}),
          },
          { transaction },
        );
        return this.toDto(row);
      }),
    );
  }

  /**
   * Verifies again, e.g. after the provider was unavailable. A rejection
   * removes the record (a rejected person is not kept), and says why.
   */
  async reverify(userId: string, id: string): Promise<PatientDto> {
    const current = await findOwnPatient(userId, id);
    await this.d.limits.consume('verifyPerAccount', userId);
    const result = await this.d.verifier.verify({ name: current.name, idNumber: this.idNumberOf(current) });
    const outcome = await this.unique(() =>
      this.d.db.write(async (transaction) => {
        const row = await findOwnPatient(userId, id, { transaction, lock: true });
        if (result.status === 'rejected') {
          await erasePatients(this.d.db.sqlIn(transaction), this.d.seats, { userId, patientId: row.id });
          return { error: rejected(result.reason) };
        }
        if (row.relation === 'self' && result.status === 'verified') {
          await this.claimSelf(row.idNumberHash!, userId, transaction);
        }
        await row.update(verificationFields(result), { transaction });
        return { patient: this.toDto(row) };
      }),
    );
    // The removal must commit, so the error is thrown after the transaction.
    if (outcome.error) throw outcome.error;
    return outcome.patient!;
  }

  /**
   * Removes a patient: future appointments cancelled, waitlists left, ID
   * number, phone and name erased; 本人 goes last.
   */
  async remove(userId: string, id: string): Promise<void> {
    await this.d.db.write(async (transaction) => {
      const row = await findOwnPatient(userId, id, { transaction, lock: true });
      if (row.relation === 'self') {
        const others = await Patient.count({ where: { userId, deletedAt: null }, transaction });
        if (others > 1) throw conflict('SELF_HAS_DEPENDANTS', '请先删除其他就诊人，再删除本人');
      }
      await erasePatients(this.d.db.sqlIn(transaction), this.d.seats, { userId, patientId: row.id });
    });
  }

  /**
   * A verified 本人 takes an ID number: refused if another account's verified
   * 本人 holds it; any pending 本人 claims of it elsewhere are released.
   */
  private async claimSelf(idHash: string, userId: string, transaction: Transaction) {
    const others = await Patient.findAll({
      where: { idNumberHash: idHash, relation: 'self', deletedAt: null, userId: { [Op.ne]: userId } },
      transaction,
      lock: true,
    });
    if (others.some((p) => p.verificationStatus === 'verified')) {
      throw conflict('ID_ALREADY_SELF', '该身份证号已在其他账号登记为本人，如有疑问请联系客服');
    }
    for (const pending of others) {
      await erasePatients(this.d.db.sqlIn(transaction), this.d.seats, {
        userId: pending.userId,
        patientId: pending.id,
      });
      await Patient.update(
        { verificationStatus: 'rejected', verificationReason: RELEASED_REASON },
        { where: { id: pending.id }, transaction },
      );
    }
  }

  private sensitive(id: string, idNumber: string, phone: string) {
    return {
      idNumberEnc: this.d.cipher.encrypt(idNumber, slotOf('patients', 'id_number_enc', id)),
      idNumberHash: this.d.cipher.blindIndex('id_number', idNumber),
      idNumberMasked: maskIdNumber(idNumber),
      phoneEnc: this.d.cipher.encrypt(phone, slotOf('patients', 'phone_enc', id)),
      phoneMasked: maskPhone(phone),
    };
  }

  private idNumberOf(p: Patient): string {
    return this.d.cipher.decrypt(p.idNumberEnc!, slotOf('patients', 'id_number_enc', p.id));
  }

  private phoneOf(p: Patient): string {
    return this.d.cipher.decrypt(p.phoneEnc!, slotOf('patients', 'phone_enc', p.id));
  }

  /** Age comes from the birth date inside the encrypted ID number: only the birth year is stored in clear. */
  toDto(p: Patient): PatientDto {
    const info = idInfo(this.idNumberOf(p));
    const age = ageOn(info.birthDate, shanghaiDate());
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

function idInfo(idNumber: string): IdCardInfo {
  const check = checkIdNumber(idNumber, shanghaiDate());
  if (!check.ok) throw new AppError(422, 'ID_NUMBER_INVALID', '身份证号无效');
  return check.info;
}

function derive(idNumber: string) {
  const info = idInfo(idNumber);
  return { ...info, age: ageOn(info.birthDate, shanghaiDate()) };
}

function verificationFields(v: VerificationResult) {
  return {
    verificationStatus: v.status,
    verificationReason: v.status === 'verified' ? null : v.reason,
    verifiedAt: v.status === 'verified' ? new Date() : null,
  };
}
