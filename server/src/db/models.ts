import type { Sequelize } from 'sequelize';
import { initHospitalModels } from '../modules/hospitals/models';

/** Binds every module's models to the connection; a new module adds its init here. */
export function initModels(sequelize: Sequelize) {
  initHospitalModels(sequelize);
}
