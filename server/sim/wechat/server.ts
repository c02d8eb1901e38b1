import { createHash, randomBytes } from 'node:crypto';
import Koa from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { listen, type RunningServer } from '../listen';

/**
 * WeChat API simulator. `jscode2session` answers like WeChat's: a code of the
 * form `sim-<name>` always maps to the same openid; anything else is errcode
 * 40029. `/__sim/codes/<code>` forces an errcode (e.g. 45011) for one code.
 * Subscribe messages follow WeChat: a valid, unexpired access token (cgi-bin/token),
 * a known openid, valid template data (47003) and a one-time authorisation per
 * template (43101 without one; `/__sim/subscriptions` grants them, as the user's
 * tap on 允许 would). Sends are recorded under `/__sim/subscribe-messages`.
 */
export function createWechatSimApp(appId: string, secret: string) {
  const app = new Koa();
  const router = new Router();
  const forced = new Map<string, number>();
  const sent: unknown[] = [];
  /** Openids this simulator has issued (sending to any other is 40003). */
  const known = new Set<string>();
  /** One-time authorisations the user gave with requestSubscribeMessage: `openid|templateId` -> count. */
  const grants = new Map<string, number>();
  /** Valid access tokens and their expiry; a new token leaves the previous one valid (WeChat keeps it 5 minutes). */
  const tokens = new Map<string, number>();
  let tokenTtlSec = 7200;
  let tokenRequests = 0;
  let down = false;
  const openidFor = (name: string) =>
    'o' + createHash('sha256').update(`${appId}:${name}`).digest('base64url').slice(0, 27);

  router.use(async (ctx, next) => {
    if (down && !ctx.path.startsWith('/__sim')) {
      ctx.status = 503;
      ctx.body = 'service unavailable';
      return;
    }
    await next();
  });

  router.get('/sns/jscode2session', (ctx) => {
    const { appid, secret: s, js_code: code, grant_type: grant } = ctx.query as Record<string, string>;
    if (appid !== appId || s !== secret) {
      ctx.body = { errcode: 40125, errmsg: 'invalid appsecret' };
      return;
    }
    if (grant !== 'authorization_code') {
      ctx.body = { errcode: 40002, errmsg: 'invalid grant_type' };
      return;
    }
    const force = forced.get(code);
    if (force) {
      ctx.body = { errcode: force, errmsg: force === 45011 ? 'api minute-quota reach limit' : 'forced error' };
      return;
    }
    const m = /^sim-([\w.-]{1,64})$/.exec(code ?? '');
    if (!m) {
      ctx.body = { errcode: 40029, errmsg: 'invalid code' };
      return;
    }
    const openid = openidFor(m[1]);
    known.add(openid);
    ctx.body = { openid, session_key: randomBytes(16).toString('base64') };
  });

  router.get('/cgi-bin/token', (ctx) => {
    const q = ctx.query as Record<string, string>;
    tokenRequests++;
    if (q.appid !== appId || q.secret !== secret) {
      ctx.body = { errcode: 40125, errmsg: 'invalid appsecret' };
      return;
    }
    const token = `sim-token-${randomBytes(8).toString('hex')}`;
    for (const [t, until] of tokens) if (until < Date.now()) tokens.delete(t);
    tokens.set(token, Date.now() + tokenTtlSec * 1000);
    ctx.body = { access_token: token, expires_in: tokenTtlSec };
  });

  router.post('/cgi-bin/message/subscribe/send', (ctx) => {
    const token = String(ctx.query.access_token ?? '');
    const until = tokens.get(token);
    if (until === undefined) {
      ctx.body = { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
      return;
    }
    if (until < Date.now()) {
      ctx.body = { errcode: 42001, errmsg: 'access_token expired' };
      return;
    }
    const body = (ctx.request.body ?? {}) as {
      touser?: string;
      template_id?: string;
      data?: Record<string, { value?: unknown }>;
    };
    if (!body.touser || !known.has(body.touser)) {
      ctx.body = { errcode: 40003, errmsg: 'invalid openid' };
      return;
    }
    // WeChat's own limits on template data: thing ≤ 20 characters, every value a non-empty string.
    const bad = Object.entries(body.data ?? {}).some(
      ([k, v]) => typeof v?.value !== 'string' || !v.value || (k.startsWith('thing') && [...v.value].length > 20),
    );
    if (!body.template_id || bad) {
      ctx.body = { errcode: 47003, errmsg: 'argument invalid! data.thing1.value invalid' };
      return;
    }
    const key = `${body.touser}|${body.template_id}`;
    const left = grants.get(key) ?? 0;
    if (left <= 0) {
      ctx.body = { errcode: 43101, errmsg: 'user refuse to accept the msg' };
      return;
    }
    grants.set(key, left - 1);
    sent.push({ ...body, at: new Date().toISOString() });
    ctx.body = { errcode: 0, errmsg: 'ok', msgid: sent.length };
  });

  router.get('/__sim/subscribe-messages', (ctx) => {
    const touser = ctx.query.touser;
    ctx.body = { items: touser ? sent.filter((m) => (m as { touser: string }).touser === touser) : sent };
  });
  // The user tapped 允许 in requestSubscribeMessage `count` times for this template.
  router.put('/__sim/subscriptions', (ctx) => {
    const { openid, templateId, count } = (ctx.request.body ?? {}) as {
      openid: string;
      templateId: string;
      count?: number;
    };
    known.add(openid);
    grants.set(`${openid}|${templateId}`, (grants.get(`${openid}|${templateId}`) ?? 0) + (count ?? 1));
    ctx.status = 204;
  });
  router.put('/__sim/token', (ctx) => {
    const { ttlSec, expireAll } = (ctx.request.body ?? {}) as { ttlSec?: number; expireAll?: boolean };
    if (ttlSec) tokenTtlSec = ttlSec;
    if (expireAll) for (const t of tokens.keys()) tokens.set(t, 0);
    ctx.status = 204;
  });
  router.put('/__sim/faults', (ctx) => {
    down = Boolean((ctx.request.body as { down?: boolean }).down);
    ctx.status = 204;
  });
  router.get('/__sim/stats', (ctx) => {
    ctx.body = { tokenRequests, sent: sent.length };
  });
  router.put('/__sim/codes/:code', (ctx) => {
    forced.set(ctx.params.code, Number((ctx.request.body as { errcode?: number }).errcode ?? 40029));
    ctx.status = 204;
  });
  router.post('/__sim/reset', (ctx) => {
    forced.clear();
    sent.length = 0;
    grants.clear();
    tokens.clear();
    tokenTtlSec = 7200;
    tokenRequests = 0;
    down = false;
    ctx.status = 204;
  });

  app.use(bodyParser());
  app.use(router.routes());
  return app;
}

export function startWechatSimulator(appId: string, secret: string, port = 0): Promise<RunningServer> {
  return listen(createWechatSimApp(appId, secret), port);
}
