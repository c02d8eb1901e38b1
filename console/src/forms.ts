import type { FormInstance } from 'antd';
import type { ZodType } from 'zod';
import { ApiError } from './api';

/**
 * Validates a form with the same zod schema the server uses; problems are
 * shown on their fields. Returns the parsed value, or undefined.
 */
export function validate<T>(schema: ZodType<T>, form: FormInstance, values: unknown): T | undefined {
  const result = schema.safeParse(values);
  // Problems from an earlier attempt go; this attempt's are set below.
  form.setFields(Object.keys((values as object) ?? {}).map((name) => ({ name, errors: [] })));
  if (result.success) return result.data;
  const byField = new Map<string, string[]>();
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? '');
    byField.set(name, [...(byField.get(name) ?? []), issue.message]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return undefined;
}

/** Puts a server's 422 field problems (`body.releaseTime`) on the form's fields; true when there were any. */
export function showServerErrors(err: unknown, form: FormInstance): boolean {
  if (!(err instanceof ApiError) || !err.fields.length) return false;
  form.setFields(
    err.fields.map((f) => ({ name: f.path.split('.').slice(1)[0], errors: [f.message] })).filter((f) => f.name),
  );
  return true;
}
