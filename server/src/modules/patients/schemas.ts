import { z } from 'zod';
import { ID_CARD_MESSAGES, checkIdNumber, normalizeIdNumber } from '../../../../common/id-card';
import { idParam, isoTime, pageOf, pageQuery } from '../../http/schemas';
import { shanghaiDate } from '../../lib/time';
import { phone } from '../accounts/schemas';

export const relation = z
  .enum(['self', 'spouse', 'parent', 'child', 'other'])
  .meta({ description: '本人 / 配偶 / 父母 / 子女 / 其他' });

const name = z
  .string()
  .trim()
  .regex(/^[\u4e00-\u9fa5A-Za-z·• ]{2,30}$/, '姓名应为2-30个汉字或字母');

/** Resident ID number with GB 11643 checksum and a real, past birth date. */
const idNumber = z
  .string()
  .trim()
  .transform(normalizeIdNumber)
  .superRefine((value, ctx) => {
    const result = checkIdNumber(value, shanghaiDate());
    if (!result.ok) ctx.addIssue({ code: 'custom', message: ID_CARD_MESSAGES[result.problem] });
  });

export const createPatient = z.strictObject({ name, idNumber, phone, relation });
export const updatePatient = z
  .strictObject({
    name: name.optional(),
    idNumber: idNumber.optional(),
    phone: phone.optional(),
    relation: relation.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, '至少修改一项');

export const patient = z
  .object({
    id: z.string(),
    name: z.string(),
    idNumber: z.string().meta({ example: '110***********1234', description: 'masked' }),
    phone: z.string().meta({ example: '138****1234', description: 'masked' }),
    sex: z.enum(['male', 'female']),
    age: z.number().int(),
    relation,
    isMinor: z.boolean().meta({ description: 'Under 14: managed by the guardian' }),
    guardianPatientId: z.string().nullable(),
    verification: z.object({
      status: z.enum(['pending', 'verified', 'rejected']),
      reason: z.string().nullable(),
      verifiedAt: isoTime.nullable(),
    }),
    canBook: z.boolean(),
    createdAt: isoTime,
  })
  .meta({ id: 'Patient' });

export const patientPage = pageOf(patient).meta({ id: 'PatientPage' });

export { idParam, pageQuery };
export type CreatePatientInput = z.output<typeof createPatient>;
export type UpdatePatientInput = z.output<typeof updatePatient>;
export type PatientDto = z.input<typeof patient>;
