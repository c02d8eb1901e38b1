import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** One line of the append-only audit log (the table refuses UPDATE and DELETE). */
export class AuditEvent extends Model<InferAttributes<AuditEvent>, InferCreationAttributes<AuditEvent>> {
  declare id: string;
  declare createdAt: Date;
  declare staffId: string | null;
  declare username: string | null;
  declare role: string | null;
  declare action: string;
  declare targetType: string | null;
  declare targetId: string | null;
  declare hospitalId: string | null;
  declare ip: string | null;
  declare requestId: string | null;
  /** JSON of what changed (rule values, counts, reasons); never patient data. */
  declare details: string | null;
}

export function initAuditModels(sequelize: Sequelize) {
  AuditEvent.init(
    {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      createdAt: DataTypes.DATE,
      staffId: DataTypes.STRING(32),
      username: DataTypes.STRING(32),
      role: DataTypes.STRING(20),
      action: DataTypes.STRING(60),
      targetType: DataTypes.STRING(30),
      targetId: DataTypes.STRING(64),
      hospitalId: DataTypes.STRING(32),
      ip: DataTypes.STRING(64),
      requestId: DataTypes.STRING(64),
      details: DataTypes.TEXT,
    },
    { sequelize, tableName: 'audit_events', underscored: true, updatedAt: false },
  );
}
