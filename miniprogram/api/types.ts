// Response types come from the server's zod schemas (type-only imports, erased at build),
// so the client and the API cannot disagree about a field.
export type {
  DepartmentDto as Department,
  DoctorDto as Doctor,
  HospitalDto as Hospital,
  HospitalSummaryDto as HospitalSummary,
} from '../../server/src/modules/hospitals/schemas';
export type { Page } from '../../server/src/http/schemas';

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
