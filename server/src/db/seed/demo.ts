import { generateHospitals } from '../../../sim/his/catalog';
import { newId } from '../../lib/ids';
import { Hospital } from '../../modules/hospitals/models';

/**
 * Demo data: registers the simulator's 38 hospitals when the registry is
 * empty. Departments and doctors are not seeded: they arrive the way real
 * ones do, by syncing from each hospital's HIS.
 */
export async function seedDemoData(hisBaseUrl: string): Promise<number> {
  if ((await Hospital.count()) > 0) return 0;
  const rows = generateHospitals().map(({ profile }) => ({
    id: newId('hsp'),
    code: profile.code,
    name: profile.name,
    level: profile.level,
    district: profile.district,
    address: profile.address,
    hisBaseUrl: `${hisBaseUrl}/h/${profile.code}`,
  }));
  await Hospital.bulkCreate(rows);
  return rows.length;
}
