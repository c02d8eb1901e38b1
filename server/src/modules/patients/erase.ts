import type { Transaction } from 'sequelize';
import { Patient } from './models';

/** What stays of a patient once erased: an id other records can point at, nothing that identifies. */
export const ERASED = {
  name: '已删除',
  idNumberEnc: null,
  idNumberHash: null,
  idNumberMasked: '',
  phoneEnc: null,
  phoneMasked: '',
} as const;

export async function erasePatientsOf(userId: string, transaction: Transaction): Promise<void> {
  const now = new Date();
  const rows = await Patient.findAll({ where: { userId }, transaction });
  for (const p of rows) {
    // Keep only the birth year: enough for de-identified statistics.
    await p.update(
      { ...ERASED, birthDate: `${p.birthDate.slice(0, 4)}-01-01`, deletedAt: p.deletedAt ?? now },
      { transaction },
    );
  }
}
