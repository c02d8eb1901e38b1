import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { listen, type RunningServer } from '../listen';

interface VoiceCall {
  id: string;
  phone: string;
  text: string;
  clientRef: string;
  at: string;
}

/**
 * Voice-notice simulator (text-to-speech calls): `POST /v1/calls` records a
 * call and the text it reads; the same `clientRef` is one call. Tests read
 * `/__sim/calls?phone=`.
 */
export function createVoiceSimApp(apiKey: string) {
  const app = new Koa();
  const router = new Router();
  const calls: VoiceCall[] = [];
  const byRef = new Map<string, VoiceCall>();
  let down = false;

  router.post('/v1/calls', (ctx) => {
    if (ctx.get('Authorization') !== `Bearer ${apiKey}`) {
      ctx.status = 401;
      ctx.body = { code: 'UNAUTHORIZED' };
      return;
    }
    if (down) {
      ctx.status = 503;
      ctx.body = { code: 'UNAVAILABLE' };
      return;
    }
    const body = (ctx.request.body ?? {}) as Partial<VoiceCall>;
    if (typeof body.phone !== 'string' || !/^1\d{10}$/.test(body.phone) || !body.text || !body.clientRef) {
      ctx.status = 400;
      ctx.body = { code: 'BAD_REQUEST', message: 'phone, text and clientRef required' };
      return;
    }
    const seen = byRef.get(body.clientRef);
    if (seen) {
      ctx.status = 202;
      ctx.body = { id: seen.id, duplicate: true };
      return;
    }
    const call: VoiceCall = {
      id: randomUUID(),
      phone: body.phone,
      text: body.text,
      clientRef: body.clientRef,
      at: new Date().toISOString(),
    };
    calls.push(call);
    byRef.set(call.clientRef, call);
    ctx.status = 202;
    ctx.body = { id: call.id };
  });

  router.get('/__sim/calls', (ctx) => {
    const phone = ctx.query.phone;
    ctx.body = { items: phone ? calls.filter((c) => c.phone === phone) : calls };
  });
  router.put('/__sim/faults', (ctx) => {
    down = Boolean((ctx.request.body as { down?: boolean }).down);
    ctx.status = 204;
  });
  router.post('/__sim/reset', (ctx) => {
    calls.length = 0;
    byRef.clear();
    down = false;
    ctx.status = 204;
  });

  app.use(bodyParser());
  app.use(router.routes());
  return app;
}

export function startVoiceSimulator(apiKey: string, port = 0): Promise<RunningServer> {
  return listen(createVoiceSimApp(apiKey), port);
}
