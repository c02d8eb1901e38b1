import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export type Relation = 'self' | 'spouse' | 'parent' | 'child' | 'other';
export type VerificationStatus = 'pending' | 'verified' | 'rejected';

/**
 * A real-name person an account books for (就诊人). ID number and phone are
 * stored encrypted; in clear only the display masks and the birth year, so
 * a copy of the database cannot rebuild an ID number. Sex and birth date come
 * from the (decrypted) ID number when needed.
 */
export class Patient extends Model<InferAttributes<Patient>, InferCreationAttributes<Patient>> {
  declare id: string;
  declare userId: string;
  declare name: string;
  declare idNumberEnc: string | null;
  declare idNumberHash: string | null;
  declare idNumberMasked: string;
  declare phoneEnc: string | null;
  declare phoneMasked: string;
  declare sex: 'male' | 'female';
  declare birthYear: number | null;
  declare relation: Relation;
  declare guardianPatientId: CreationOptional<string | null>;
  declare verificationStatus: VerificationStatus;
  declare verificationReason: CreationOptional<string | null>;
  declare verifiedAt: CreationOptional<Date | null>;
  declare deletedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initPatientModels(sequelize: Sequelize) {
  Patient.init(
    {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      userId: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(40), allowNull: false },
      idNumberEnc: DataTypes.STRING(200),
      idNumberHash: DataTypes.STRING(64),
      idNumberMasked: { type: DataTypes.STRING(20), allowNull: false },
      phoneEnc: DataTypes.STRING(200),
      phoneMasked: { type: DataTypes.STRING(20), allowNull: false },
      sex: { type: DataTypes.STRING(10), allowNull: false },
      birthYear: DataTypes.INTEGER,
      relation: { type: DataTypes.STRING(10), allowNull: false },
      guardianPatientId: DataTypes.STRING(32),
      verificationStatus: { type: DataTypes.STRING(20), allowNull: false },
      verificationReason: DataTypes.STRING(200),
      verifiedAt: DataTypes.DATE,
      deletedAt: DataTypes.DATE,
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'patients', underscored: true },
  );
}
