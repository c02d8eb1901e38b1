import type { Context } from 'koa';
import { AppError } from './errors';
import type { Authenticator, Caller } from './route';

/** Reads `Authorization: Bearer <token>` and lets `verify` decide who it is. */
export function bearerAuthenticator(verify: (token: string) => Promise<Caller>): Authenticator {
  return async (ctx: Context) => {
    const match = /^Bearer ([\w.-]{10,2048})$/.exec(ctx.get('Authorization'));
    if (!match) throw new AppError(401, 'UNAUTHENTICATED', '请先登录');
    return verify(match[1]);
  };
}
