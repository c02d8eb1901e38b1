import { z } from 'zod';
import { isoTime, pageOf, pageQuery } from '../../http/schemas';

const code = z.string().min(1).max(40);
export const sex = z.enum(['male', 'female']).meta({ description: '男 / 女, as in the patient API' });
export const urgency = z
  .enum(['emergency', 'urgent', 'routine'])
  .meta({ description: '立即急诊或拨打120 / 尽快（当天）就医 / 门诊预约' });

export const assessBody = z
  .strictObject({
    age: z.number({ error: '请填写年龄' }).int('年龄应为整数').min(0, '年龄不能为负数').max(120, '年龄不能超过120岁'),
    sex,
    symptoms: z.array(code).max(30, '最多选择30个症状').default([]),
    answers: z.record(code, z.boolean()).optional(),
    text: z.string().max(500, '症状描述最多500字').optional(),
  })
  .refine((b) => b.symptoms.length > 0 || (b.text ?? '').trim().length > 0, {
    message: '请选择症状或描述您的不适',
    path: ['symptoms'],
  });
export type AssessBody = z.output<typeof assessBody>;

const named = z.object({ code: z.string(), name: z.string() });
export const assessment = z
  .object({
    urgency,
    advice: z.string(),
    departments: z
      .array(z.object({ name: z.string().meta({ description: 'Standard department name' }), reason: z.string() }))
      .meta({ description: 'Ranked; 急诊科 first when urgency is emergency' }),
    followUp: z
      .array(z.object({ code: z.string(), question: z.string() }))
      .optional()
      .meta({ description: 'Yes/no questions that could change the advice; send the answers back in `answers`' }),
    redFlags: z.array(z.string()),
    recognized: z.array(named).meta({ description: 'Symptoms understood (codes, text and answers)' }),
    negated: z.array(named).meta({ description: 'Symptoms the text or answers deny (不发烧)' }),
    disclaimer: z.string(),
  })
  .meta({ id: 'TriageAssessment' });

export const knowledge = z
  .object({
    areas: z.array(z.object({ code: z.string(), name: z.string() })),
    symptoms: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        area: z.string(),
        sex: sex.optional(),
        minAge: z.number().int().optional(),
        maxAge: z.number().int().optional(),
      }),
    ),
    departments: z.array(z.string()).meta({ description: 'Standard department names (what nurses recommend)' }),
    reviewed: z.boolean().meta({ description: 'false while the knowledge base is a draft awaiting clinician review' }),
    disclaimer: z.string(),
  })
  .meta({ id: 'TriageKnowledge' });

export const departmentMatchQuery = z.strictObject({ name: z.string().min(1).max(30) });
export const departmentMatch = z
  .object({
    hospitalId: z.string(),
    departmentId: z.string(),
    departmentName: z.string().meta({ description: "The hospital's own name for it" }),
    standardName: z.string(),
    via: z.string().meta({ description: 'The standard department matched (the name itself or a fallback)' }),
  })
  .meta({ id: 'TriageDepartmentMatch' });

// Human triage (人工分诊) tickets.

const text = (max: number, what: string) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .min(1, `请填写${what}`)
    .max(max, `${what}最多${max}字`);

export const ticketStatus = z.enum(['open', 'claimed', 'closed']).meta({ description: '待接单 / 处理中 / 已结束' });
export const callbackOutcome = z
  .enum(['reached', 'no_answer', 'wrong_number'])
  .meta({ description: '已接通 / 未接听 / 号码有误' });

export const createTicket = z.strictObject({
  patientId: z.string().min(1).max(64).optional(),
  hospitalId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: "The hospital's triage desk; the platform's desk when absent" }),
  summary: text(60, '问题概要'),
  text: text(1000, '详细描述'),
  callbackPhone: z
    .string()
    .regex(/^1[3-9]\d{9}$/, '请输入正确的手机号')
    .optional()
    .meta({ description: 'Where a nurse may call back (stored encrypted, shown masked)' }),
});
export type CreateTicket = z.output<typeof createTicket>;

export const postMessage = z.strictObject({ text: text(1000, '回复内容') });

export const ticketMessage = z
  .object({
    id: z.string(),
    author: z.enum(['patient', 'staff']),
    kind: z.enum(['text', 'recommendation', 'callback', 'status']),
    body: z.string(),
    createdAt: isoTime,
  })
  .meta({ id: 'TriageMessage' });

export const ticketSummary = z
  .object({
    id: z.string(),
    patientId: z.string().nullable(),
    hospitalId: z.string().nullable(),
    summary: z.string(),
    urgency,
    status: ticketStatus,
    recommendedDepartment: z.string().nullable(),
    callbackRequested: z.boolean(),
    callbackPhone: z.string().nullable().meta({ example: '138****1234', description: 'masked' }),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'TriageTicketSummary' });

export const ticketDetail = ticketSummary
  .extend({ text: z.string(), messages: z.array(ticketMessage) })
  .meta({ id: 'TriageTicket' });

export const ticketPage = pageOf(ticketSummary);

// The console's 分诊工作台.

export const queueQuery = pageQuery.extend({
  status: z.enum(['open', 'claimed', 'closed', 'active']).default('active'),
  mine: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

export const staffTicket = ticketSummary
  .extend({
    claimedBy: z.string().nullable().meta({ description: 'username of the nurse who claimed it' }),
    claimedAt: isoTime.nullable(),
    waitingMinutes: z.number().int().meta({ description: 'minutes since it was opened' }),
    overdue: z.boolean().meta({ description: 'unclaimed for longer than TRIAGE_UNCLAIMED_FLAG_MIN' }),
  })
  .meta({ id: 'ConsoleTriageTicket' });
export const staffTicketDetail = staffTicket
  .extend({ text: z.string(), messages: z.array(ticketMessage.extend({ staff: z.string().nullable() })) })
  .meta({ id: 'ConsoleTriageTicketDetail' });
export const staffTicketPage = pageOf(staffTicket).extend({ overdueMinutes: z.number().int() });

export const recommendBody = z.strictObject({
  department: z.string().min(1, '请选择科室').max(30),
  note: z.string().trim().max(500, '说明最多500字').optional(),
});
export const callbackBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('request') }),
  z.strictObject({
    action: z.literal('log'),
    outcome: callbackOutcome,
    note: z.string().trim().max(500, '说明最多500字').optional(),
  }),
]);
export const closeBody = z.strictObject({ note: z.string().trim().max(500, '说明最多500字').optional() });
