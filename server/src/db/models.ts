import type { Sequelize } from 'sequelize';
import { initAccountModels } from '../modules/accounts/models';
import { initAuditModels } from '../modules/audit/models';
import { initBookingModels } from '../modules/booking/models';
import { initHospitalModels } from '../modules/hospitals/models';
import { initPatientModels } from '../modules/patients/models';
import { initStaffModels } from '../modules/staff/models';
import { initReportModels } from '../modules/reports/models';
import { initNavigationModels } from '../modules/navigation/models';

/** Binds every module's models to the connection; a new module adds its init here. */
export function initModels(sequelize: Sequelize) {
  initHospitalModels(sequelize);
  initAccountModels(sequelize);
  initPatientModels(sequelize);
  initBookingModels(sequelize);
  initStaffModels(sequelize);
  initAuditModels(sequelize);
  initReportModels(sequelize);
  initNavigationModels(sequelize);
}
