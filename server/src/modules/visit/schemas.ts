import { z } from 'zod';
import { idParam, isoTime, pageQuery, calendarDate as date } from '../../http/schemas';

export { idParam };

const room = z.object({ code: z.string(), name: z.string() });

export const checkInWindow = z
  .object({
    appointmentId: z.string(),
    state: z
      .enum(['not_open', 'open', 'closed', 'checked_in', 'not_applicable'])
      .meta({ description: '未到签到时间 / 可签到 / 签到已截止 / 已签到 / 不可签到（已取消等）' }),
    opensAt: isoTime,
    closesAt: isoTime,
  })
  .meta({ id: 'CheckInWindow' });

export const checkIn = z
  .object({
    appointmentId: z.string(),
    status: z.literal('checked_in'),
    checkedInAt: isoTime.nullable(),
    queueNumber: z.number().int().nullable().meta({ description: 'null until the hospital has answered (seconds)' }),
    room: room.nullable(),
  })
  .meta({ id: 'CheckIn' });

export const queueStatus = z
  .object({
    appointmentId: z.string(),
    state: z
      .enum(['checking_in', 'waiting', 'called', 'passed'])
      .meta({ description: '签到处理中 / 候诊中 / 正在叫您 / 已过号' }),
    room: room.nullable(),
    calling: z.number().int().nullable(),
    myNumber: z.number().int().nullable(),
    ahead: z.number().int().nullable(),
    estimatedWaitMinutes: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'trimmed mean of recent consultations × patients ahead; null when unknown' }),
    updatedAt: isoTime.nullable().meta({ description: 'when this room was last read from the hospital' }),
    stale: z.boolean().meta({ description: 'the hospital could not be reached lately: figures may be old' }),
    near: z.boolean().meta({ description: 'three or fewer ahead: show the 即将叫号 banner' }),
  })
  .meta({ id: 'QueueStatus' });

export const billStatus = z.enum(['paid', 'unpaid']).meta({ description: '已缴费 / 待缴费' });
export const billCategory = z.enum(['西药费', '中药费', '检查费', '化验费', '治疗费', '挂号费', '材料费', '其他']);

export const billProblem = z.object({
  kind: z.enum(['line_amount', 'total', 'split']),
  /** Which line (1-based) for `line_amount`. */
  line: z.number().int().optional(),
  message: z.string(),
});

const money = {
  totalFen: z.number().int(),
  insuranceFen: z.number().int().meta({ description: '医保统筹' }),
  selfPayFen: z.number().int().meta({ description: '自费' }),
};

export const billSummary = z
  .object({
    id: z.string(),
    hospitalId: z.string(),
    hospitalName: z.string(),
    code: z.string(),
    visitCode: z.string(),
    visitDate: date,
    department: z.string(),
    status: billStatus,
    ...money,
    itemCount: z.number().int(),
    inconsistent: z.boolean(),
    problems: z.array(billProblem),
  })
  .meta({ id: 'BillSummary' });

export const billItem = z.object({
  category: billCategory,
  name: z.string(),
  quantity: z.number().int(),
  unitPriceFen: z.number().int(),
  amountFen: z.number().int(),
});

export const billDetail = billSummary
  .extend({
    patientId: z.string(),
    items: z.array(billItem),
    groups: z.array(z.object({ category: billCategory, amountFen: z.number().int(), items: z.array(billItem) })),
  })
  .meta({ id: 'BillDetail' });

export const visitBills = z
  .object({
    hospitalId: z.string(),
    hospitalName: z.string(),
    visitCode: z.string(),
    visitDate: date,
    department: z.string(),
    ...money,
    unpaidFen: z.number().int(),
    inconsistent: z.boolean(),
    bills: z.array(billSummary),
  })
  .meta({ id: 'VisitBills' });

export const billListQuery = pageQuery.extend({
  patientId: z.string().min(1).max(64),
  hospitalId: z.string().min(1).max(64).optional(),
  from: date.optional(),
  to: date.optional(),
  status: billStatus.optional(),
});

export const billPage = z
  .object({
    items: z.array(visitBills),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    unavailableHospitalIds: z.array(z.string()),
  })
  .meta({ id: 'BillPage' });

export type BillSummaryDto = z.output<typeof billSummary>;
export type BillDetailDto = z.output<typeof billDetail>;
export type VisitBillsDto = z.output<typeof visitBills>;
export type QueueStatusDto = z.output<typeof queueStatus>;
export type CheckInDto = z.output<typeof checkIn>;
