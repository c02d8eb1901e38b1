import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

type A<M extends Model> = InferAttributes<M>;
type C<M extends Model> = InferCreationAttributes<M>;

/** `withdrawn`: a released report the hospital took back to preliminary (hidden until released again). */
export type StoredReportStatus = 'final' | 'amended' | 'withdrawn';
export const SHOWN_STATUSES: StoredReportStatus[] = ['final', 'amended'];

/**
 * A hospital's released report as last fetched, under our own stable id.
 * Title and content (items, findings, department, orderer) are encrypted
 * (PiiCipher, bound to this row); the counts are kept in clear for lists.
 */
export class Report extends Model<A<Report>, C<Report>> {
  declare id: string;
  declare patientId: string;
  declare hospitalId: string;
  declare hisCode: string;
  declare type: 'lab' | 'exam';
  declare status: StoredReportStatus;
  declare reportedAt: Date;
  declare titleEnc: string;
  declare contentEnc: string;
  declare abnormalCount: number;
  declare criticalCount: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** When one patient's reports were last fetched from one hospital, and when that last failed. */
export class ReportFetch extends Model<A<ReportFetch>, C<ReportFetch>> {
  declare patientId: string;
  declare hospitalId: string;
  declare fetchedAt: CreationOptional<Date | null>;
  declare failedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A share link: only the SHA-256 of its token is stored, and the access code as a keyed hash. */
export class ReportShare extends Model<A<ReportShare>, C<ReportShare>> {
  declare id: string;
  declare reportId: string;
  declare userId: string;
  declare tokenHash: string;
  declare accessCodeHash: CreationOptional<string | null>;
  declare expiresAt: Date;
  declare revokedAt: CreationOptional<Date | null>;
  declare failedAttempts: CreationOptional<number>;
  declare lockedUntil: CreationOptional<Date | null>;
  declare viewCount: CreationOptional<number>;
  declare lastViewedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** One view of a shared report: when, the viewer's address truncated to /24 (/48 for IPv6), browser family. */
export class ReportShareView extends Model<A<ReportShareView>, C<ReportShareView>> {
  declare id: string;
  declare shareId: string;
  declare viewedAt: Date;
  declare ipPrefix: string;
  declare browser: string;
}

const id = { type: DataTypes.STRING(32), primaryKey: true };
const stamps = { createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE };

export function initReportModels(sequelize: Sequelize) {
  Report.init(
    {
      id,
      patientId: { type: DataTypes.STRING(32), allowNull: false },
      hospitalId: { type: DataTypes.STRING(32), allowNull: false },
      hisCode: { type: DataTypes.STRING(80), allowNull: false },
      type: { type: DataTypes.STRING(10), allowNull: false },
      status: { type: DataTypes.STRING(20), allowNull: false },
      reportedAt: { type: DataTypes.DATE, allowNull: false },
      titleEnc: { type: DataTypes.TEXT, allowNull: false },
      contentEnc: { type: DataTypes.TEXT, allowNull: false },
      abnormalCount: { type: DataTypes.INTEGER, defaultValue: 0 },
      criticalCount: { type: DataTypes.INTEGER, defaultValue: 0 },
      ...stamps,
    },
    { sequelize, tableName: 'reports', underscored: true },
  );
  ReportFetch.init(
    {
      patientId: { type: DataTypes.STRING(32), primaryKey: true },
      hospitalId: { type: DataTypes.STRING(32), primaryKey: true },
      fetchedAt: DataTypes.DATE,
      failedAt: DataTypes.DATE,
      ...stamps,
    },
    { sequelize, tableName: 'report_fetches', underscored: true },
  );
  ReportShare.init(
    {
      id,
      reportId: { type: DataTypes.STRING(32), allowNull: false },
      userId: { type: DataTypes.STRING(32), allowNull: false },
      tokenHash: { type: DataTypes.STRING(64), allowNull: false },
      accessCodeHash: DataTypes.STRING(64),
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      revokedAt: DataTypes.DATE,
      failedAttempts: { type: DataTypes.INTEGER, defaultValue: 0 },
      lockedUntil: DataTypes.DATE,
      viewCount: { type: DataTypes.INTEGER, defaultValue: 0 },
      lastViewedAt: DataTypes.DATE,
      ...stamps,
    },
    { sequelize, tableName: 'report_shares', underscored: true },
  );
  ReportShareView.init(
    {
      id,
      shareId: { type: DataTypes.STRING(32), allowNull: false },
      viewedAt: { type: DataTypes.DATE, allowNull: false },
      ipPrefix: { type: DataTypes.STRING(50), allowNull: false },
      browser: { type: DataTypes.STRING(20), allowNull: false },
    },
    { sequelize, tableName: 'report_share_views', underscored: true, timestamps: false },
  );
}
