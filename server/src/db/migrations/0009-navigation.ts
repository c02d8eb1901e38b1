import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * Indoor navigation (issue 13): each hospital's map as last accepted from its
 * HIS (the JSON document, its hash and version), when it was last fetched,
 * and the problems of the last map refused (the accepted one stays in use).
 */
export async function up(qi: QueryInterface) {
  await qi.createTable('hospital_maps', {
    hospital_id: {
      type: DataTypes.STRING(32),
      primaryKey: true,
      allowNull: false,
      references: { model: 'hospitals', key: 'id' },
    },
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    hash: { type: DataTypes.STRING(64), allowNull: true },
    document: { type: DataTypes.TEXT, allowNull: true },
    node_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    poi_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    fetched_at: { type: DataTypes.DATE, allowNull: true },
    rejected_at: { type: DataTypes.DATE, allowNull: true },
    rejected_problems: { type: DataTypes.TEXT, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
}

export async function down(qi: QueryInterface) {
  await qi.dropTable('hospital_maps');
}
