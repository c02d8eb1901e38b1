import { z } from 'zod';

/** Shared API shapes; see docs/api-conventions.md. */

// Validation messages reach patients, so zod speaks Simplified Chinese.
z.config(z.locales.zhCN());

export const MAX_PAGE_SIZE = 100;

/** `page` from 1; `pageSize` defaults to 20 and is capped (larger requests are clamped). */
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .transform((n) => Math.min(n, MAX_PAGE_SIZE)),
});

export type PageQuery = z.output<typeof pageQuery>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const idParam = z.object({ id: z.string().min(1).max(64) });

/** ISO 8601 timestamp with an offset, shown in Asia/Shanghai. */
/** A calendar date `YYYY-MM-DD` that exists (no 2026-13-01 or 2026-02-30): 422, never an Invalid Date later. */
export const calendarDate = z.iso.date({ error: '日期格式应为YYYY-MM-DD' });

export const isoTime = z.string().meta({ format: 'date-time', example: '2026-11-26T08:00:00.000+08:00' });

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      message: z.string().meta({ example: '请求参数有误：query.pageSize' }),
      details: z
        .record(z.string(), z.unknown())
        .meta({ additionalProperties: true, description: 'Code-specific details, e.g. `fields` for 422' })
        .optional(),
    }),
  })
  .meta({ id: 'Error' });
