import { createHash, randomBytes } from 'node:crypto';
import Koa from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { listen, type RunningServer } from '../listen';

/**
 * WeChat API simulator. `jscode2session` answers like WeChat's: a code of the
 * form `sim-<name>` always maps to the same openid; anything else is errcode
 * 40029. `/__sim/codes/<code>` forces an errcode (e.g. 45011) for one code.
 * Subscribe-message sends are recorded for tests under `/__sim/subscribe-messages`.
 */
export function createWechatSimApp(appId: string, secret: string) {
  const app = new Koa();
  const router = new Router();
  const forced = new Map<string, number>();
  const sent: unknown[] = [];
  const accessToken = `sim-token-${randomBytes(8).toString('hex')}`;
  const openidFor = (name: string) =>
    'o' + createHash('sha256').update(`${appId}:${name}`).digest('base64url').slice(0, 27);

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
    ctx.body = { openid: openidFor(m[1]), session_key: randomBytes(16).toString('base64') };
  });

  router.get('/cgi-bin/token', (ctx) => {
    const q = ctx.query as Record<string, string>;
    ctx.body =
      q.appid === appId && q.secret === secret
        ? { access_token: accessToken, expires_in: 7200 }
        : { errcode: 40125, errmsg: 'invalid appsecret' };
  });

  router.post('/cgi-bin/message/subscribe/send', (ctx) => {
    if (ctx.query.access_token !== accessToken) {
      ctx.body = { errcode: 40001, errmsg: 'invalid credential' };
      return;
    }
    sent.push({ ...(ctx.request.body as object), at: new Date().toISOString() });
    ctx.body = { errcode: 0, errmsg: 'ok' };
  });

  router.get('/__sim/subscribe-messages', (ctx) => {
    ctx.body = { items: sent };
  });
  router.put('/__sim/codes/:code', (ctx) => {
    forced.set(ctx.params.code, Number((ctx.request.body as { errcode?: number }).errcode ?? 40029));
    ctx.status = 204;
  });
  router.post('/__sim/reset', (ctx) => {
    forced.clear();
    sent.length = 0;
    ctx.status = 204;
  });

  app.use(bodyParser());
  app.use(router.routes());
  return app;
}

export function startWechatSimulator(appId: string, secret: string, port = 0): Promise<RunningServer> {
  return listen(createWechatSimApp(appId, secret), port);
}
