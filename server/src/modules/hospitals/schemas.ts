import { z } from 'zod';
import { idParam, isoTime, pageOf, pageQuery } from '../../http/schemas';

export const hospitalLevel = z.enum(['tertiary_a', 'tertiary_b']).meta({ description: '三级甲等 / 三级乙等' });
export const hisStatus = z
  .enum(['online', 'unavailable'])
  .meta({ description: 'Link to the hospital system, from its circuit breaker' });
export const doctorTitle = z
  .enum(['chief_physician', 'associate_chief_physician', 'attending_physician'])
  .meta({ description: '主任医师 / 副主任医师 / 主治医师' });

export const listHospitalsQuery = pageQuery.extend({
  q: z.string().trim().max(50).optional().meta({ description: 'Words in the name or address' }),
  district: z.string().trim().max(20).optional().meta({ example: '徐汇区' }),
});

export const hospitalSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    level: hospitalLevel,
    district: z.string(),
    address: z.string(),
  })
  .meta({ id: 'HospitalSummary' });

export const hospital = hospitalSummary
  .extend({
    phone: z.string(),
    intro: z.string(),
    hisStatus,
    catalogSyncedAt: isoTime.nullable(),
  })
  .meta({ id: 'Hospital' });

export const department = z
  .object({
    id: z.string(),
    hospitalId: z.string(),
    name: z.string(),
    location: z.string(),
    intro: z.string(),
    doctorCount: z.number().int(),
  })
  .meta({ id: 'Department' });

export const doctor = z
  .object({
    id: z.string(),
    hospitalId: z.string(),
    departmentId: z.string(),
    name: z.string(),
    gender: z.enum(['male', 'female']),
    title: doctorTitle,
    specialty: z.string(),
    intro: z.string(),
    photoUrl: z
      .string()
      .nullable()
      .meta({ description: 'HTTPS address of the photo the hospital publishes; null: none' }),
  })
  .meta({ id: 'Doctor' });

export const doctorDetail = doctor
  .extend({
    department: z.object({ id: z.string(), name: z.string(), location: z.string() }),
    hospital: z.object({ id: z.string(), name: z.string() }),
  })
  .meta({ id: 'DoctorDetail' });

export const hospitalPage = pageOf(hospitalSummary).meta({ id: 'HospitalPage' });
export const departmentPage = pageOf(department).meta({ id: 'DepartmentPage' });
export const doctorPage = pageOf(doctor).meta({ id: 'DoctorPage' });

export { idParam, pageQuery };
export type DoctorTitle = z.output<typeof doctorTitle>;
export type ListHospitalsQuery = z.output<typeof listHospitalsQuery>;
export type HospitalDto = z.input<typeof hospital>;
export type HospitalSummaryDto = z.input<typeof hospitalSummary>;
export type DepartmentDto = z.input<typeof department>;
export type DoctorDto = z.input<typeof doctor>;
export type DoctorDetailDto = z.input<typeof doctorDetail>;
