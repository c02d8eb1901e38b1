import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.STRING(32), primaryKey: true, allowNull: false };
const timestamps = {
  created_at: { type: DataTypes.DATE, allowNull: false },
  updated_at: { type: DataTypes.DATE, allowNull: false },
};

export async function up(qi: QueryInterface) {
  await qi.createTable('hospitals', {
    id,
    code: { type: DataTypes.STRING(32), allowNull: false, unique: true },
    name: { type: DataTypes.STRING(100), allowNull: false },
    level: { type: DataTypes.STRING(20), allowNull: false },
    district: { type: DataTypes.STRING(20), allowNull: false },
    address: { type: DataTypes.STRING(200), allowNull: false, defaultValue: '' },
    phone: { type: DataTypes.STRING(40), allowNull: false, defaultValue: '' },
    intro: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    his_base_url: { type: DataTypes.STRING(300), allowNull: false },
    catalog_synced_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('hospitals', ['district']);

  await qi.createTable('departments', {
    id,
    hospital_id: { type: DataTypes.STRING(32), allowNull: false, references: { model: 'hospitals', key: 'id' } },
    his_code: { type: DataTypes.STRING(64), allowNull: false },
    name: { type: DataTypes.STRING(60), allowNull: false },
    location: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '' },
    intro: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    sort_order: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    ...timestamps,
  });
  await qi.addIndex('departments', ['hospital_id', 'his_code'], { unique: true });

  await qi.createTable('doctors', {
    id,
    hospital_id: { type: DataTypes.STRING(32), allowNull: false, references: { model: 'hospitals', key: 'id' } },
    department_id: { type: DataTypes.STRING(32), allowNull: false, references: { model: 'departments', key: 'id' } },
    his_code: { type: DataTypes.STRING(64), allowNull: false },
    name: { type: DataTypes.STRING(40), allowNull: false },
    gender: { type: DataTypes.STRING(10), allowNull: false },
    title: { type: DataTypes.STRING(40), allowNull: false },
    specialty: { type: DataTypes.STRING(200), allowNull: false, defaultValue: '' },
    intro: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    ...timestamps,
  });
  await qi.addIndex('doctors', ['hospital_id', 'his_code'], { unique: true });
  await qi.addIndex('doctors', ['department_id']);
}

export async function down(qi: QueryInterface) {
  await qi.dropTable('doctors');
  await qi.dropTable('departments');
  await qi.dropTable('hospitals');
}
