import { z } from 'zod';
import { idParam, isoTime, pageOf, pageQuery, calendarDate as date } from '../../http/schemas';

const id = z.string().min(1).max(64);
const dateRange = <T extends { from?: string; to?: string }>(q: T) => !q.from || !q.to || q.from <= q.to;

export const reportType = z.enum(['lab', 'exam']).meta({ description: '检验 / 检查' });
export const flag = z
  .enum(['N', 'L', 'H', 'LL', 'HH', 'A'])
  .meta({ description: 'HL7 v3 ObservationInterpretation: 正常 / 偏低 / 偏高 / 危急低 / 危急高 / 异常(非数值)' });

export const reportListQuery = pageQuery
  .extend({
    patientId: id,
    hospitalId: id.optional(),
    type: reportType.optional(),
    from: date.optional(),
    to: date.optional(),
  })
  .refine(dateRange, { message: '开始日期不能晚于结束日期', path: ['from'] });

export const reportSummary = z
  .object({
    id: z.string(),
    patientId: z.string(),
    hospitalId: z.string(),
    hospitalName: z.string(),
    type: reportType,
    title: z.string(),
    reportedAt: isoTime,
    abnormalCount: z.number().int(),
    criticalCount: z.number().int(),
    amended: z.boolean().meta({ description: '已更正: the hospital amended this report' }),
  })
  .meta({ id: 'ReportSummary' });

export const reportPage = pageOf(reportSummary)
  .extend({
    unavailableHospitalIds: z
      .array(z.string())
      .meta({ description: 'Hospitals that could not be reached now; their reports may be missing or out of date' }),
  })
  .meta({ id: 'ReportPage' });

export const referenceRange = z
  .object({
    low: z.number().nullable(),
    high: z.number().nullable(),
    text: z.string().nullable(),
    source: z
      .enum(['hospital', 'reference'])
      .meta({ description: "the report's own range, or the national standard's" }),
    citation: z.string().optional().meta({ example: 'WS/T 405-2012' }),
    population: z.string().optional().meta({ example: '成年女性' }),
  })
  .meta({ id: 'ReferenceRange' });

export const reportItem = z
  .object({
    code: z.string(),
    name: z.string(),
    value: z.string().meta({ example: '5.6', description: 'as reported: `5.6`, `阴性`, `+`, `1:320`' }),
    unit: z.string().nullable(),
    referenceRange: referenceRange.nullable().meta({ description: 'null: no range on the report or in the tables' }),
    flag: flag.nullable().meta({ description: 'null when there is no range: never guessed' }),
    critical: z.boolean().meta({ description: '危急值: listed first; contact the hospital now' }),
    analyte: z.string().nullable().meta({ description: 'our analyte key (trends), when known' }),
    explanation: z
      .object({ what: z.string(), reasons: z.string(), next: z.string() })
      .optional()
      .meta({ description: 'plain-language meaning of an abnormal result; never a diagnosis' }),
  })
  .meta({ id: 'ReportItem' });

export const reportSummaryCounts = z
  .object({
    total: z.number().int(),
    high: z.number().int(),
    low: z.number().int(),
    critical: z.number().int(),
    abnormal: z.number().int(),
    text: z.string().meta({ example: '共 24 项，3 项偏高，1 项偏低，无危急值' }),
  })
  .meta({ id: 'ReportSummaryCounts' });

/** What the owner and a share's viewer both see of a report. */
const reportBody = {
  type: reportType,
  title: z.string(),
  status: z.enum(['final', 'amended']),
  amended: z.boolean(),
  reportedAt: isoTime,
  department: z.string(),
  orderedBy: z.string(),
  specimen: z.string().nullable(),
  summary: reportSummaryCounts,
  items: z.array(reportItem),
  findings: z.string().nullable(),
  impression: z.string().nullable(),
  advice: z.string().nullable().meta({ description: 'urgent advice when a critical value is present' }),
  disclaimer: z.string(),
};

export const maskedPatient = z.object({
  name: z.string().meta({ example: '王*国', description: 'masked' }),
  sex: z.enum(['male', 'female']),
  age: z.number().int().meta({ description: 'age on the day of the report' }),
});

export const reportDetail = z
  .object({
    id: z.string(),
    patient: maskedPatient.extend({
      id: z.string(),
      idNumber: z.string().meta({ example: '110***********1234', description: 'masked' }),
    }),
    hospital: z.object({ id: z.string(), name: z.string() }),
    ...reportBody,
    fetchedAt: isoTime.nullable().meta({ description: 'when this copy was last confirmed with the hospital' }),
  })
  .meta({ id: 'ReportDetail' });

export const observationQuery = z
  .object({
    code: z.string().trim().min(1).max(40).meta({ description: "an item's code or our analyte key, e.g. HGB" }),
    from: date.optional(),
    to: date.optional(),
  })
  .refine(dateRange, { message: '开始日期不能晚于结束日期', path: ['from'] });

export const observations = z
  .object({
    code: z.string(),
    name: z.string(),
    unit: z.string().nullable(),
    points: z.array(
      z.object({
        reportId: z.string(),
        reportedAt: isoTime,
        value: z.number().nullable().meta({ description: 'null for a non-numeric result (see text)' }),
        text: z.string().meta({ description: 'the value as reported' }),
        flag: flag.nullable(),
        hospitalId: z.string(),
      }),
    ),
    referenceRange: z
      .object({ low: z.number().nullable(), high: z.number().nullable() })
      .nullable()
      .meta({ description: 'the latest point’s range, for the chart’s band' }),
    omittedOtherUnits: z.number().int().meta({ description: 'results in another unit, left out (units never mixed)' }),
    direction: z.enum(['rising', 'falling', 'stable']).nullable(),
  })
  .meta({ id: 'Observations' });

export const accessCode = z.string().regex(/^\d{4,6}$/, '提取码应为4-6位数字');

export const createShare = z.strictObject({
  expiresInHours: z.number().int().min(1, '有效期至少1小时').max(720, '有效期最长30天').optional(),
  accessCode: accessCode.optional(),
});

export const shareCreated = z
  .object({
    id: z.string(),
    token: z.string().meta({ description: 'shown once; only its hash is stored' }),
    url: z.string().meta({ example: 'https://h5.example.com/pages/shared/index#t=…' }),
    expiresAt: isoTime,
    hasAccessCode: z.boolean(),
  })
  .meta({ id: 'ShareCreated' });

export const browserFamily = z.enum(['wechat', 'chrome', 'safari', 'firefox', 'edge', 'qq', 'uc', 'opera', 'other']);

export const share = z
  .object({
    id: z.string(),
    reportId: z.string(),
    reportTitle: z.string(),
    patientName: z.string(),
    hospitalName: z.string(),
    status: z.enum(['active', 'locked', 'expired', 'revoked']),
    hasAccessCode: z.boolean(),
    expiresAt: isoTime,
    revokedAt: isoTime.nullable(),
    createdAt: isoTime,
    viewCount: z.number().int(),
    lastViewedAt: isoTime.nullable(),
    recentViews: z
      .array(
        z.object({
          viewedAt: isoTime,
          ip: z.string().meta({ example: '203.0.113.0/24', description: 'truncated to /24 (IPv6 /48)' }),
          browser: browserFamily,
        }),
      )
      .meta({ description: 'the latest 20 views' }),
  })
  .meta({ id: 'Share' });

export const sharePage = pageOf(share).meta({ id: 'SharePage' });

export const sharedToken = z.object({ token: z.string().min(1).max(200) });
export const sharedHeaders = z.object({ 'x-access-code': accessCode.optional() });

export const sharedReport = z
  .object({
    patient: maskedPatient,
    hospital: z.object({ name: z.string() }),
    ...reportBody,
    expiresAt: isoTime,
  })
  .meta({ id: 'SharedReport' });

export { idParam, pageQuery };
export type ReportListQuery = z.output<typeof reportListQuery>;
export type ReportSummaryDto = z.input<typeof reportSummary>;
export type ReportPageDto = z.input<typeof reportPage>;
export type ReportDetailDto = z.input<typeof reportDetail>;
export type ReportItemDto = z.input<typeof reportItem>;
export type ObservationQuery = z.output<typeof observationQuery>;
export type ObservationsDto = z.input<typeof observations>;
export type CreateShareInput = z.output<typeof createShare>;
export type ShareCreatedDto = z.input<typeof shareCreated>;
export type ShareDto = z.input<typeof share>;
export type SharedReportDto = z.input<typeof sharedReport>;
export type BrowserFamily = z.output<typeof browserFamily>;
