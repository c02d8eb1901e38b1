import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { DoctorTitle, HisHospitalLevel } from '../../his/types';

export class Hospital extends Model<InferAttributes<Hospital>, InferCreationAttributes<Hospital>> {
  declare id: string;
  declare code: string;
  declare name: string;
  declare level: HisHospitalLevel;
  declare district: string;
  declare address: CreationOptional<string>;
  declare phone: CreationOptional<string>;
  declare intro: CreationOptional<string>;
  declare hisBaseUrl: string;
  /** The request-signing secret shared with the hospital, encrypted (PiiCipher). */
  declare hisSecretEnc: CreationOptional<string | null>;
  /** Set when the last schedule answer looked wrong (empty, or far fewer slots than known): slots were kept. */
  declare scheduleAnomaly: CreationOptional<string | null>;
  declare scheduleAnomalyAt: CreationOptional<Date | null>;
  declare catalogSyncedAt: CreationOptional<Date | null>;
  declare slotsSyncedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Department extends Model<InferAttributes<Department>, InferCreationAttributes<Department>> {
  declare id: string;
  declare hospitalId: string;
  declare hisCode: string;
  declare name: string;
  declare location: CreationOptional<string>;
  declare intro: CreationOptional<string>;
  declare sortOrder: CreationOptional<number>;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Doctor extends Model<InferAttributes<Doctor>, InferCreationAttributes<Doctor>> {
  declare id: string;
  declare hospitalId: string;
  declare departmentId: string;
  declare hisCode: string;
  declare name: string;
  declare gender: 'male' | 'female';
  declare title: DoctorTitle;
  declare specialty: CreationOptional<string>;
  declare intro: CreationOptional<string>;
  declare photoUrl: CreationOptional<string | null>;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

const id = { type: DataTypes.STRING(32), primaryKey: true };
const stamps = { createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE };

export function initHospitalModels(sequelize: Sequelize) {
  Hospital.init(
    {
      id,
      code: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      level: { type: DataTypes.STRING(20), allowNull: false },
      district: { type: DataTypes.STRING(20), allowNull: false },
      address: { type: DataTypes.STRING(200), defaultValue: '' },
      phone: { type: DataTypes.STRING(40), defaultValue: '' },
      intro: { type: DataTypes.TEXT, defaultValue: '' },
      hisBaseUrl: { type: DataTypes.STRING(300), allowNull: false },
      hisSecretEnc: { type: DataTypes.STRING(300), allowNull: true },
      scheduleAnomaly: { type: DataTypes.STRING(300), allowNull: true },
      scheduleAnomalyAt: { type: DataTypes.DATE, allowNull: true },
      catalogSyncedAt: { type: DataTypes.DATE, allowNull: true },
      slotsSyncedAt: { type: DataTypes.DATE, allowNull: true },
      ...stamps,
    },
    { sequelize, tableName: 'hospitals', underscored: true },
  );
  Department.init(
    {
      id,
      hospitalId: { type: DataTypes.STRING(32), allowNull: false },
      hisCode: { type: DataTypes.STRING(64), allowNull: false },
      name: { type: DataTypes.STRING(60), allowNull: false },
      location: { type: DataTypes.STRING(100), defaultValue: '' },
      intro: { type: DataTypes.TEXT, defaultValue: '' },
      sortOrder: { type: DataTypes.INTEGER, defaultValue: 0 },
      active: { type: DataTypes.BOOLEAN, defaultValue: true },
      ...stamps,
    },
    { sequelize, tableName: 'departments', underscored: true },
  );
  Doctor.init(
    {
      id,
      hospitalId: { type: DataTypes.STRING(32), allowNull: false },
      departmentId: { type: DataTypes.STRING(32), allowNull: false },
      hisCode: { type: DataTypes.STRING(64), allowNull: false },
      name: { type: DataTypes.STRING(40), allowNull: false },
      gender: { type: DataTypes.STRING(10), allowNull: false },
      title: { type: DataTypes.STRING(40), allowNull: false },
      specialty: { type: DataTypes.STRING(200), defaultValue: '' },
      intro: { type: DataTypes.TEXT, defaultValue: '' },
      photoUrl: { type: DataTypes.STRING(500), allowNull: true },
      active: { type: DataTypes.BOOLEAN, defaultValue: true },
      ...stamps,
    },
    { sequelize, tableName: 'doctors', underscored: true },
  );
}
