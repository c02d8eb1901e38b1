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
  at: string;
}

/**
 * SMS gateway simulator: `POST /v1/messages` with the API key records a
 * message; tests read them from `/__sim/messages?phone=`.
 */
export function createSmsSimApp(apiKey: string) {
  const app = new Koa();
  const router = new Router();
  const messages: SmsMessage[] = [];

  router.post('/v1/messages', (ctx) => {
    if (ctx.get('Authorization') !== `Bearer ${apiKey}`) {
      ctx.status = 401;
      ctx.body = { code: 'UNAUTHORIZED', message: 'bad api key' };
      return;
    }
    const body = (ctx.request.body ?? {}) as Partial<SmsMessage>;
    if (typeof body.phone !== 'string' || !/^1\d{10}$/.test(body.phone) || typeof body.template !== 'string') {
      ctx.status = 400;
      ctx.body = { code: 'BAD_REQUEST', message: 'phone and template required' };
      return;
    }
    const msg: SmsMessage = {
      id: randomUUID(),
      phone: body.phone,
      template: body.template,
      params: body.params ?? {},
      at: new Date().toISOString(),
    };
    messages.push(msg);
    ctx.status = 202;
    ctx.body = { id: msg.id };
  });

  router.get('/__sim/messages', (ctx) => {
    const phone = ctx.query.phone;
    ctx.body = { items: phone ? messages.filter((m) => m.phone === phone) : messages };
  });
  router.post('/__sim/reset', (ctx) => {
    messages.length = 0;
    ctx.status = 204;
  });

  app.use(bodyParser());
  app.use(router.routes());
  return app;
}

export function startSmsSimulator(apiKey: string, port = 0): Promise<RunningServer> {
  return listen(createSmsSimApp(apiKey), port);
}
