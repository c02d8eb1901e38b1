import type { Transaction } from 'sequelize';
import type { Db } from '../../db';
import type { HisClient, HisTarget } from '../../his/types';
import { newId } from '../../lib/ids';
import { slotOf, type PiiCipher } from '../../privacy/cipher';
import { Department, Doctor, Hospital } from './models';

/** Where to reach a hospital's HIS, with the signing secret stored (encrypted) in its registry entry. */
export const targetOf = (
  h: Pick<Hospital, 'id' | 'code' | 'hisBaseUrl' | 'hisSecretEnc'>,
  cipher: PiiCipher,
): HisTarget => ({
  code: h.code,
  baseUrl: h.hisBaseUrl,
  secret: h.hisSecretEnc ? cipher.decrypt(h.hisSecretEnc, slotOf('hospitals', 'his_secret_enc', h.id)) : '',
});

export interface CatalogDeps {
  db: Db;
  his: HisClient;
  cipher: PiiCipher;
}

/**
 * Pulls one hospital's profile, departments and doctors from its HIS and
 * stores them in one transaction. Rows the HIS no longer lists are marked
 * inactive rather than deleted, because later records (appointments) point at them.
 */
export async function syncHospitalCatalog({ db, his, cipher }: CatalogDeps, hospital: Hospital): Promise<void> {
  const target = targetOf(hospital, cipher);
  const [profile, departments, doctors] = await Promise.all([
    his.getProfile(target),
    his.listDepartments(target),
    his.listDoctors(target),
  ]);

  await db.write(async (transaction) => {
    await hospital.update(
      {
        name: profile.name,
        level: profile.level,
        district: profile.district,
        address: profile.address,
        phone: profile.phone,
        intro: profile.intro,
        catalogSyncedAt: new Date(),
      },
      { transaction },
    );
    const depIds = await upsertByHisCode(
      Department,
      hospital.id,
      departments.map((d, i) => ({
        hisCode: d.code,
        name: d.name,
        location: d.location,
        intro: d.intro,
        sortOrder: i,
        active: true,
      })),
      'dep',
      transaction,
    );
    await upsertByHisCode(
      Doctor,
      hospital.id,
      doctors
        .filter((d) => depIds.has(d.departmentCode))
        .map((d) => ({
          hisCode: d.code,
          departmentId: depIds.get(d.departmentCode)!,
          name: d.name,
          gender: d.gender,
          title: d.title,
          specialty: d.specialty,
          intro: d.intro,
          photoUrl: d.photoUrl ?? null,
          active: true,
        })),
      'doc',
      transaction,
    );
  });
}

type CatalogModel = typeof Department | typeof Doctor;

/** Creates, updates or deactivates rows of one hospital so they match `incoming`; returns hisCode -> id. */
async function upsertByHisCode(
  model: CatalogModel,
  hospitalId: string,
  incoming: Array<Record<string, unknown> & { hisCode: string }>,
  idPrefix: string,
  transaction: Transaction,
): Promise<Map<string, string>> {
  const existing = await (model as typeof Department).findAll({ where: { hospitalId }, transaction });
  const byCode = new Map(existing.map((row) => [row.hisCode, row]));
  const ids = new Map<string, string>();
  const toCreate: Array<Record<string, unknown>> = [];
  for (const values of incoming) {
    const row = byCode.get(values.hisCode);
    if (row) {
      row.set(values);
      if (row.changed()) await row.save({ transaction });
      ids.set(values.hisCode, row.id);
      byCode.delete(values.hisCode);
    } else {
      const id = newId(idPrefix);
      toCreate.push({ ...values, id, hospitalId });
      ids.set(values.hisCode, id);
    }
  }
  if (toCreate.length) await (model as typeof Department).bulkCreate(toCreate as never[], { transaction });
  for (const gone of byCode.values()) {
    if (gone.active) await gone.update({ active: false }, { transaction });
  }
  return ids;
}
