import { Op } from 'sequelize';
import { generateHospitals } from '../../../sim/his/catalog';
import { demoHisSecret } from '../../his/signing';
import { newId } from '../../lib/ids';
import { slotOf, type PiiCipher } from '../../privacy/cipher';
import { Hospital } from '../../modules/hospitals/models';

export interface DemoSeed {
  /** Base URL of the HIS simulator; each hospital lives at `<base>/h/<code>`. */
  hisBaseUrl: string;
  /** DEMO_HIS_SECRET: derives each demo hospital's signing secret, as the simulator does. */
  signingSeed: string;
  cipher: PiiCipher;
}

/**
 * Demo data: registers the simulator's 38 hospitals when the registry is
 * empty, each with its request-signing secret, and gives a secret to demo
 * hospitals registered before secrets existed. Departments and doctors are
 * not seeded: they arrive the way real ones do, by syncing from each
 * hospital's HIS.
 */
export async function seedDemoData(seed: DemoSeed): Promise<number> {
  const secretOf = (id: string, code: string) =>
    seed.cipher.encrypt(demoHisSecret(seed.signingSeed, code), slotOf('hospitals', 'his_secret_enc', id));
  for (const h of await Hospital.findAll({
    where: { hisSecretEnc: null, hisBaseUrl: { [Op.like]: `${seed.hisBaseUrl}/h/%` } },
  })) {
    await h.update({ hisSecretEnc: secretOf(h.id, h.code) });
  }
  if ((await Hospital.count()) > 0) return 0;
  const rows = generateHospitals().map(({ profile }) => {
    const id = newId('hsp');
    return {
      id,
      code: profile.code,
      name: profile.name,
      level: profile.level,
      district: profile.district,
      address: profile.address,
      hisBaseUrl: `${seed.hisBaseUrl}/h/${profile.code}`,
      hisSecretEnc: secretOf(id, profile.code),
    };
  });
  await Hospital.bulkCreate(rows);
  return rows.length;
}
