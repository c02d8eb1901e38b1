import { z } from 'zod';
import { articleCategory as formCategory, articleInput as articleForm } from '../../../../common/console/forms';
import { isoTime, pageOf, pageQuery, calendarDate as date } from '../../http/schemas';
import { LEVELS, MEASUREMENT_TYPES } from './rules';

const id = z.string().min(1).max(64);
const dateRange = <T extends { from?: string; to?: string }>(q: T) => !q.from || !q.to || q.from <= q.to;
const num = z.number().finite();

export const measurementType = z
  .enum(MEASUREMENT_TYPES)
  .meta({ id: 'MeasurementType', description: '血压 / 血糖 / 体重 / 心率 / 体温 / 血氧' });
export const level = z.enum(LEVELS).meta({ description: '正常 / 偏高(需注意) / 异常 / 危险(请立即就医)' });
export const glucoseTiming = z
  .enum(['fasting', 'after_meal_2h', 'random'])
  .meta({ description: '空腹 / 餐后2小时 / 随机' });

/** `values` per type; the server checks plausibility against the rule file (422 IMPLAUSIBLE_VALUE). */
export const bloodPressureValues = z.strictObject({ systolic: num, diastolic: num, pulse: num.optional() });
export const bloodGlucoseValues = z.strictObject({ mmolL: num, timing: glucoseTiming });
export const weightValues = z.strictObject({ kg: num, heightCm: num.optional() });
export const heartRateValues = z.strictObject({ bpm: num });
export const temperatureValues = z.strictObject({ celsius: num });
export const spo2Values = z.strictObject({ percent: num });

const base = {
  patientId: id,
  measuredAt: z.iso.datetime({ offset: true }).meta({ example: '2026-12-07T08:00:00+08:00' }),
  note: z.string().max(200).optional(),
};

export const createRecord = z
  .discriminatedUnion('type', [
    z.strictObject({ ...base, type: z.literal('blood_pressure'), values: bloodPressureValues }),
    z.strictObject({ ...base, type: z.literal('blood_glucose'), values: bloodGlucoseValues }),
    z.strictObject({ ...base, type: z.literal('weight'), values: weightValues }),
    z.strictObject({ ...base, type: z.literal('heart_rate'), values: heartRateValues }),
    z.strictObject({ ...base, type: z.literal('body_temperature'), values: temperatureValues }),
    z.strictObject({ ...base, type: z.literal('spo2'), values: spo2Values }),
  ])
  .meta({ id: 'CreateHealthRecord' });
export type CreateRecord = z.output<typeof createRecord>;

export const classification = z
  .object({
    code: z.string().meta({ example: 'grade_1_hypertension' }),
    label: z.string().meta({ example: '1级高血压（轻度）' }),
    level,
    advice: z.string(),
  })
  .meta({ id: 'HealthClassification' });

export const healthRecord = z
  .object({
    id: z.string(),
    patientId: z.string(),
    type: measurementType,
    values: z.record(z.string(), z.union([z.number(), z.string()])).meta({
      description: 'As sent; weight adds heightCm (used) and bmi',
    }),
    measuredAt: isoTime,
    note: z.string().nullable(),
    classification,
  })
  .meta({ id: 'HealthRecord' });
export type HealthRecordDto = z.output<typeof healthRecord>;

export const recordListQuery = pageQuery
  .extend({ patientId: id, type: measurementType.optional(), from: date.optional(), to: date.optional() })
  .refine(dateRange, { message: '开始日期不能晚于结束日期', path: ['from'] });
export type RecordListQuery = z.output<typeof recordListQuery>;
export const recordPage = pageOf(healthRecord).meta({ id: 'HealthRecordPage' });

export const summaryQuery = z.object({
  patientId: id,
  type: measurementType,
  days: z.coerce
    .number()
    .int()
    .refine((d) => [7, 30, 90].includes(d), '只能选择7、30或90天'),
});
export type SummaryQuery = z.output<typeof summaryQuery>;

const stat = z.object({ avg: z.number().nullable(), min: z.number().nullable(), max: z.number().nullable() });
export const summary = z
  .object({
    patientId: z.string(),
    type: measurementType,
    days: z.number().int(),
    from: isoTime,
    to: isoTime,
    count: z.number().int(),
    metrics: z.record(z.string(), stat).meta({ description: 'Per value (systolic, diastolic, mmolL, kg, bmi ...)' }),
    classes: z.array(
      z.object({ code: z.string(), label: z.string(), level, count: z.number().int(), share: z.number() }),
    ),
    trend: z.object({
      direction: z.enum(['rising', 'falling', 'stable', 'insufficient']),
      metric: z.string(),
      change: z.number().nullable().meta({ description: 'Later half average minus earlier half average' }),
    }),
    daily: z
      .array(z.object({ date: z.string(), values: z.record(z.string(), z.number()) }))
      .meta({ description: 'Daily averages (Shanghai days), for charts' }),
    bands: z
      .array(
        z.object({
          metric: z.string(),
          label: z.string(),
          low: z.number().nullable(),
          high: z.number().nullable(),
          level,
        }),
      )
      .meta({ description: 'Guideline bands to draw behind the chart' }),
    source: z.string(),
  })
  .meta({ id: 'HealthSummary' });
export type SummaryDto = z.output<typeof summary>;

export const patientQuery = z.object({ patientId: id });

const items = z.array(z.string().trim().min(1).max(100)).max(30);
export const bloodType = z
  .enum(['a', 'b', 'ab', 'o', 'unknown'])
  .meta({ description: 'ABO blood group; unknown = 不详' });
export const profileBody = z
  .strictObject({
    patientId: id,
    heightCm: z.number().finite().min(40).max(250).nullable().optional(),
    bloodType: bloodType.optional(),
    rhNegative: z.boolean().optional().meta({ description: 'Rh 阴性' }),
    allergies: items.optional(),
    chronicConditions: items.optional(),
    medications: items.optional(),
    surgeries: items.optional(),
    familyHistory: items.optional(),
  })
  .meta({ id: 'HealthProfileUpdate' });
export type ProfileBody = z.output<typeof profileBody>;

export const profile = z
  .object({
    patientId: z.string(),
    heightCm: z.number().nullable(),
    bloodType,
    rhNegative: z.boolean(),
    allergies: z.array(z.string()),
    chronicConditions: z.array(z.string()),
    medications: z.array(z.string()),
    surgeries: z.array(z.string()),
    familyHistory: z.array(z.string()),
    updatedAt: isoTime.nullable(),
  })
  .meta({ id: 'HealthProfile' });
export type ProfileDto = z.output<typeof profile>;

export const timelineEntry = z
  .object({
    kind: z.enum(['appointment', 'report', 'measurement']),
    id: z.string(),
    at: isoTime,
    title: z.string(),
    detail: z.string().nullable(),
    level: level.nullable(),
  })
  .meta({ id: 'HealthTimelineEntry' });
export const timeline = z.object({ items: z.array(timelineEntry) }).meta({ id: 'HealthTimeline' });
export type TimelineEntryDto = z.output<typeof timelineEntry>;

export const articleCategory = formCategory.meta({ description: '高血压 / 糖尿病 / 儿童健康 / 四季养生 / 综合' });
export const articleListQuery = pageQuery.extend({
  q: z.string().trim().max(50).optional(),
  category: articleCategory.optional(),
});
export type ArticleListQuery = z.output<typeof articleListQuery>;

/** The console form's schema (common/console/forms.ts): the same validation in the console and here. */
export const articleInput = articleForm.meta({ id: 'ArticleInput' });
export type ArticleInput = z.output<typeof articleInput>;

export const articleSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    category: articleCategory,
    tags: z.array(z.string()),
    author: z.string(),
    excerpt: z.string(),
    published: z.boolean(),
    publishedAt: isoTime.nullable(),
    readCount: z.number().int(),
    updatedAt: isoTime,
  })
  .meta({ id: 'ArticleSummary' });
export const articlePage = pageOf(articleSummary).meta({ id: 'ArticlePage' });
export const article = articleSummary
  .extend({
    body: z.string().meta({ description: 'Markdown source' }),
    html: z.string().meta({
      description: 'The body rendered to a safe HTML subset: no raw HTML, links, images or attributes',
    }),
  })
  .meta({ id: 'Article' });
export type ArticleDto = z.output<typeof article>;
