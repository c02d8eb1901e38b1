import { DataTypes } from 'sequelize';

/**
 * Column shapes every table shares, for migrations from 0006 on (earlier ones
 * keep their own copies: a migration that ran is never edited).
 */
export const id = { type: DataTypes.STRING(32), primaryKey: true, allowNull: false };

/** A reference to another table's `id`. */
export const ref = (model: string, allowNull = false) => ({
  type: DataTypes.STRING(32),
  allowNull,
  references: { model, key: 'id' },
});

export const timestamps = {
  created_at: { type: DataTypes.DATE, allowNull: false },
  updated_at: { type: DataTypes.DATE, allowNull: false },
};
