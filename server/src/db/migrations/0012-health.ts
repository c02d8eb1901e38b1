import { DataTypes, type QueryInterface } from 'sequelize';
import { id, ref, timestamps } from './columns';

const num = (allowNull = true) => ({ type: DataTypes.DOUBLE, allowNull });
const text = (length: number, allowNull = false) => ({ type: DataTypes.STRING(length), allowNull });

/**
 * Health management (issue 16): measurements with their classification, the
 * personal health record (健康档案, its lists encrypted) and knowledge articles.
 * A measurement's numbers sit in v1..v3 by type (blood_pressure: systolic,
 * diastolic, pulse; blood_glucose: mmol/L; weight: kg, height used, BMI;
 * heart_rate: bpm; body_temperature: ℃; spo2: %), so summaries are computed
 * from one index range (patient, type, measured_at).
 */
export async function up(qi: QueryInterface) {
  await qi.createTable('health_records', {
    id,
    patient_id: ref('patients'),
    type: text(20),
    measured_at: { type: DataTypes.DATE, allowNull: false },
    v1: num(false),
    v2: num(),
    v3: num(),
    timing: text(20, true),
    class_code: text(40),
    level: text(10),
    note_enc: { type: DataTypes.TEXT, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('health_records', ['patient_id', 'type', 'measured_at'], { name: 'health_records_series' });
  await qi.addIndex('health_records', ['patient_id', 'measured_at'], { name: 'health_records_patient_time' });

  await qi.createTable('health_profiles', {
    id,
    patient_id: { ...ref('patients'), unique: true },
    height_cm: num(),
    data_enc: { type: DataTypes.TEXT, allowNull: true },
    ...timestamps,
  });

  await qi.createTable('health_articles', {
    id,
    title: text(100),
    category: text(20),
    tags: { type: DataTypes.TEXT, allowNull: false }, // JSON of up to 10 tags, escaping can exceed any short limit
    body: { type: DataTypes.TEXT, allowNull: false },
    author: text(60),
    published: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    published_at: { type: DataTypes.DATE, allowNull: true },
    read_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    ...timestamps,
  });
  await qi.addIndex('health_articles', ['published', 'published_at'], { name: 'health_articles_published' });
}

export async function down(qi: QueryInterface) {
  for (const t of ['health_articles', 'health_profiles', 'health_records']) await qi.dropTable(t);
}
