import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** A hospital's accepted indoor map (one row per hospital; a refused import leaves the document as it was). */
export class HospitalMap extends Model<InferAttributes<HospitalMap>, InferCreationAttributes<HospitalMap>> {
  declare hospitalId: string;
  declare version: CreationOptional<number>;
  declare hash: CreationOptional<string | null>;
  /** The map document as JSON text (map-format.ts), null until one is accepted. */
  declare document: CreationOptional<string | null>;
  declare nodeCount: CreationOptional<number>;
  declare poiCount: CreationOptional<number>;
  declare fetchedAt: CreationOptional<Date | null>;
  declare rejectedAt: CreationOptional<Date | null>;
  /** JSON list of the last refused map's problems. */
  declare rejectedProblems: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initNavigationModels(sequelize: Sequelize) {
  HospitalMap.init(
    {
      hospitalId: { type: DataTypes.STRING(32), primaryKey: true },
      version: { type: DataTypes.INTEGER, defaultValue: 0 },
      hash: { type: DataTypes.STRING(64), allowNull: true },
      document: { type: DataTypes.TEXT, allowNull: true },
      nodeCount: { type: DataTypes.INTEGER, defaultValue: 0 },
      poiCount: { type: DataTypes.INTEGER, defaultValue: 0 },
      fetchedAt: { type: DataTypes.DATE, allowNull: true },
      rejectedAt: { type: DataTypes.DATE, allowNull: true },
      rejectedProblems: { type: DataTypes.TEXT, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'hospital_maps', underscored: true },
  );
}
