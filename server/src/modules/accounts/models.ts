import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

type Attrs<M extends Model> = InferAttributes<M>;
type Create<M extends Model> = InferCreationAttributes<M>;

/** An account holder, signed in by WeChat openid or by phone. */
export class User extends Model<Attrs<User>, Create<User>> {
  declare id: string;
  declare wechatOpenid: CreationOptional<string | null>;
  declare wechatSessionKeyEnc: CreationOptional<string | null>;
  declare phoneEnc: CreationOptional<string | null>;
  declare phoneHash: CreationOptional<string | null>;
  declare deletedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** One sign-in: the family of rotating refresh tokens and the access tokens issued from it. */
export class AuthSession extends Model<Attrs<AuthSession>, Create<AuthSession>> {
  declare id: string;
  declare userId: string;
  declare expiresAt: Date;
  declare revokedAt: CreationOptional<Date | null>;
  declare revokeReason: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A refresh token, stored only as its SHA-256 hash; `usedAt` marks it rotated. */
export class RefreshToken extends Model<Attrs<RefreshToken>, Create<RefreshToken>> {
  declare id: string;
  declare sessionId: string;
  declare tokenHash: string;
  declare expiresAt: Date;
  declare usedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class SmsCode extends Model<Attrs<SmsCode>, Create<SmsCode>> {
  declare id: string;
  declare phoneHash: string;
  declare codeHash: string;
  declare expiresAt: Date;
  declare attempts: CreationOptional<number>;
  declare consumedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** Separate consent (PIPL Art. 28-29), kept as evidence even after withdrawal. */
export class Consent extends Model<Attrs<Consent>, Create<Consent>> {
  declare id: string;
  declare userId: string;
  declare kind: 'health_data';
  declare policyVersion: string;
  declare grantedAt: Date;
  declare withdrawnAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

const id = { type: DataTypes.STRING(32), primaryKey: true };
const stamps = { createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE };
const opts = (sequelize: Sequelize, tableName: string) => ({ sequelize, tableName, underscored: true });

export function initAccountModels(sequelize: Sequelize) {
  User.init(
    {
      id,
      wechatOpenid: DataTypes.STRING(64),
      wechatSessionKeyEnc: DataTypes.STRING(200),
      phoneEnc: DataTypes.STRING(200),
      phoneHash: DataTypes.STRING(64),
      deletedAt: DataTypes.DATE,
      ...stamps,
    },
    opts(sequelize, 'users'),
  );
  AuthSession.init(
    {
      id,
      userId: { type: DataTypes.STRING(32), allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      revokedAt: DataTypes.DATE,
      revokeReason: DataTypes.STRING(40),
      ...stamps,
    },
    opts(sequelize, 'auth_sessions'),
  );
  RefreshToken.init(
    {
      id,
      sessionId: { type: DataTypes.STRING(32), allowNull: false },
      tokenHash: { type: DataTypes.STRING(64), allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      usedAt: DataTypes.DATE,
      ...stamps,
    },
    opts(sequelize, 'refresh_tokens'),
  );
  SmsCode.init(
    {
      id,
      phoneHash: { type: DataTypes.STRING(64), allowNull: false },
      codeHash: { type: DataTypes.STRING(64), allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      attempts: { type: DataTypes.INTEGER, defaultValue: 0 },
      consumedAt: DataTypes.DATE,
      ...stamps,
    },
    opts(sequelize, 'sms_codes'),
  );
  Consent.init(
    {
      id,
      userId: { type: DataTypes.STRING(32), allowNull: false },
      kind: { type: DataTypes.STRING(40), allowNull: false },
      policyVersion: { type: DataTypes.STRING(40), allowNull: false },
      grantedAt: { type: DataTypes.DATE, allowNull: false },
      withdrawnAt: DataTypes.DATE,
      ...stamps,
    },
    opts(sequelize, 'consents'),
  );
}
