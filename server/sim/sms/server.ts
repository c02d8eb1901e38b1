import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { listen, type RunningServer } from '../listen';

interface SmsMessage {
  id: string;
  phone: string;
  template: string;
  params: Record<string, string>;
  clientRef?: string;
  at: string;
}

/**
 * SMS gateway simulator: `POST /v1/messages` with the API key records a
 * template message; the same `clientRef` again is accepted without a second
 * message (the gateway's idempotency). Tests read messages from
 * `/__sim/messages?phone=` and set failures with `/__sim/faults`.
 */
export function createSmsSimApp(apiKey: string) {
  const app = new Koa();
  const router = new Router();
  const messages: SmsMessage[] = [];
  const byRef = new Map<string, SmsMessage>();
  let faults = { down: false, failNext: 0 };

  router.post('/v1/messages', (ctx) => {
    if (ctx.get('Authorization') !== `Bearer ${apiKey}`) {
      ctx.status = 401;
      ctx.body = { code: 'UNAUTHORIZED', message: 'bad api key' };
      return;
    }
    if (faults.down || faults.failNext > 0) {
      if (faults.failNext > 0) faults.failNext--;
      ctx.status = 503;
      ctx.body = { code: 'UNAVAILABLE', message: 'simulated outage' };
      return;
    }
    const body = (ctx.request.body ?? {}) as Partial<SmsMessage>;
    if (typeof body.phone !== 'string' || !/^1\d{10}$/.test(body.phone) || typeof body.template !== 'string') {
      ctx.status = 400;
      ctx.body = { code: 'BAD_REQUEST', message: 'phone and template required' };
      return;
    }
    const seen = body.clientRef ? byRef.get(body.clientRef) : undefined;
    if (seen) {
      ctx.status = 202;
      ctx.body = { id: seen.id, duplicate: true };
      return;
    }
    const msg: SmsMessage = {
      id: randomUUID(),
      phone: body.phone,
      template: body.template,
      params: body.params ?? {},
      clientRef: body.clientRef,
      at: new Date().toISOString(),
    };
    messages.push(msg);
    if (msg.clientRef) byRef.set(msg.clientRef, msg);
    ctx.status = 202;
    ctx.body = { id: msg.id };
  });

  router.get('/__sim/messages', (ctx) => {
    const phone = ctx.query.phone;
    ctx.body = { items: phone ? messages.filter((m) => m.phone === phone) : messages };
  });
  router.put('/__sim/faults', (ctx) => {
    faults = { down: false, failNext: 0, ...(ctx.request.body as object) };
    ctx.status = 204;
  });
  router.post('/__sim/reset', (ctx) => {
    messages.length = 0;
    byRef.clear();
    faults = { down: false, failNext: 0 };
    ctx.status = 204;
  });

  app.use(bodyParser());
  app.use(router.routes());
  return app;
}

export function startSmsSimulator(apiKey: string, port = 0): Promise<RunningServer> {
  return listen(createSmsSimApp(apiKey), port);
}
