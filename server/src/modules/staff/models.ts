import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { SessionStage, StaffRole } from '../../../../common/console/roles';

type A<M extends Model> = InferAttributes<M>;
type C<M extends Model> = InferCreationAttributes<M>;

/** A hospital or platform staff member: separate from patients' accounts, signed in to the console. */
export class StaffAccount extends Model<A<StaffAccount>, C<StaffAccount>> {
  declare id: string;
  declare username: string;
  declare displayName: string;
  declare role: StaffRole;
  /** argon2id (PHC string). */
  declare passwordHash: string;
  /** Set by create-admin and password resets: the one-time password must be replaced at sign-in. */
  declare mustChangePassword: CreationOptional<boolean>;
  /** The TOTP secret, encrypted (PiiCipher); present but not enabled while enrolment is pending. */
  declare totpSecretEnc: CreationOptional<string | null>;
  declare totpEnabledAt: CreationOptional<Date | null>;
  /** The 30-second time step of the last code accepted: a code is never accepted twice. */
  declare totpLastStep: CreationOptional<number | string | null>;
  /** A demo account with a published password (development only; production refuses it). */
  declare isDemo: CreationOptional<boolean>;
  declare disabledAt: CreationOptional<Date | null>;
  declare lastLoginAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** The hospitals a staff member works for (their scope); platform admins have none. */
export class StaffHospital extends Model<A<StaffHospital>, C<StaffHospital>> {
  declare staffId: string;
  declare hospitalId: string;
}

/** A console sign-in, known by the hash of its cookie token. */
export class StaffSession extends Model<A<StaffSession>, C<StaffSession>> {
  declare id: string;
  declare staffId: string;
  declare tokenHash: string;
  declare stage: SessionStage;
  /** When the second factor was passed in this session. */
  declare mfaAt: CreationOptional<Date | null>;
  declare lastSeenAt: Date;
  declare expiresAt: Date;
  declare revokedAt: CreationOptional<Date | null>;
  declare ip: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A one-time recovery code, stored as its SHA-256 hash. */
export class StaffRecoveryCode extends Model<A<StaffRecoveryCode>, C<StaffRecoveryCode>> {
  declare id: string;
  declare staffId: string;
  declare codeHash: string;
  declare usedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

const s32 = DataTypes.STRING(32);
const stamps = { createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE };
const opts = (sequelize: Sequelize, tableName: string) => ({ sequelize, tableName, underscored: true });

export function initStaffModels(sequelize: Sequelize) {
  StaffAccount.init(
    {
      id: { type: s32, primaryKey: true },
      username: DataTypes.STRING(32),
      displayName: DataTypes.STRING(40),
      role: DataTypes.STRING(20),
      passwordHash: DataTypes.STRING(200),
      mustChangePassword: { type: DataTypes.BOOLEAN, defaultValue: false },
      totpSecretEnc: DataTypes.STRING(300),
      totpEnabledAt: DataTypes.DATE,
      totpLastStep: DataTypes.BIGINT,
      isDemo: { type: DataTypes.BOOLEAN, defaultValue: false },
      disabledAt: DataTypes.DATE,
      lastLoginAt: DataTypes.DATE,
      ...stamps,
    },
    opts(sequelize, 'staff_accounts'),
  );
  StaffHospital.init(
    { staffId: { type: s32, primaryKey: true }, hospitalId: { type: s32, primaryKey: true } },
    { ...opts(sequelize, 'staff_hospitals'), timestamps: false },
  );
  StaffSession.init(
    {
      id: { type: s32, primaryKey: true },
      staffId: s32,
      tokenHash: DataTypes.STRING(64),
      stage: DataTypes.STRING(10),
      mfaAt: DataTypes.DATE,
      lastSeenAt: DataTypes.DATE,
      expiresAt: DataTypes.DATE,
      revokedAt: DataTypes.DATE,
      ip: DataTypes.STRING(64),
      ...stamps,
    },
    opts(sequelize, 'staff_sessions'),
  );
  StaffRecoveryCode.init(
    {
      id: { type: s32, primaryKey: true },
      staffId: s32,
      codeHash: DataTypes.STRING(64),
      usedAt: DataTypes.DATE,
      ...stamps,
    },
    opts(sequelize, 'staff_recovery_codes'),
  );
}
