import type { Context, Next } from 'koa';
import type { ZodError } from 'zod';

export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * An error the client is meant to see: a stable machine code, an HTTP status
 * and a Chinese message a patient can read. Anything else that escapes a
 * handler becomes a generic 500 whose details stay in the log.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    // A 4xx is an expected answer (slot full, not signed in), never logged with a
    // stack; capturing one costs tens of microseconds on the hottest paths.
    const limit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'AppError';
  }
}

export const notFound = (what = '资源') => new AppError(404, 'NOT_FOUND', `${what}不存在`);

/** 409: the request conflicts with the current state (slot full, duplicate, limit reached). */
export const conflict = (code: string, message: string) => new AppError(409, code, message);

export function validationError(error: ZodError, where: string): AppError {
  const fields: FieldProblem[] = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return new AppError(422, 'VALIDATION_FAILED', `请求参数有误：${fields.map((f) => f.path).join('、')}`, {
    fields,
  });
}

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/** Maps errors thrown by Koa's own middleware (body parser, etc.) to our codes. */
function fromHttpError(err: HttpLikeError): AppError | undefined {
  const status = err.status ?? err.statusCode;
  if (!status || status >= 500) return undefined;
  if (err.type === 'entity.parse.failed' || status === 400) {
    return new AppError(400, 'MALFORMED_REQUEST', '请求格式有误，请检查后重试');
  }
  if (status === 413) return new AppError(413, 'PAYLOAD_TOO_LARGE', '请求内容过大');
  if (status === 415) return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请求内容类型不受支持，请使用 JSON');
  return new AppError(status, 'BAD_REQUEST', '请求无法处理');
}

/** The one place that turns any error into `{error: {code, message, details?}}`. */
export async function errorHandler(ctx: Context, next: Next) {
  try {
    await next();
    if (ctx.body === undefined && ctx.status === 404) {
      throw new AppError(404, 'ROUTE_NOT_FOUND', '请求的接口不存在');
    }
    if (ctx.body === undefined && ctx.status === 405) {
      throw new AppError(405, 'METHOD_NOT_ALLOWED', '该接口不支持此请求方法');
    }
  } catch (raw) {
    const err = raw as Error & HttpLikeError;
    const appError = err instanceof AppError ? err : fromHttpError(err);
    if (appError) {
      ctx.status = appError.status;
      ctx.body = {
        error: {
          code: appError.code,
          message: appError.message,
          ...(appError.details ? { details: appError.details } : {}),
        },
      };
      if (appError.status === 503 || appError.status === 429) {
        ctx.set('Retry-After', String(appError.details?.retryAfter ?? (appError.status === 503 ? 30 : 60)));
      }
      return;
    }
    ctx.state.log?.error({ err }, 'unhandled error');
    ctx.status = 500;
    ctx.body = { error: { code: 'INTERNAL_ERROR', message: '服务器开小差了，请稍后再试' } };
  }
}
