import { z } from 'zod';

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
