import Koa from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { checkIdNumber } from '../../../common/id-card';
import { listen, type RunningServer } from '../listen';

/**
 * Identity-verification simulator: any name with a checksum-valid ID number
 * matches, unless the control API said to reject that ID number or to be down.
 */
export function createIdentitySimApp(apiKey: string) {
  const app = new Koa();
  const router = new Router();
  const rejections = new Map<string, string>();
  let calls = 0;
  let down = false;

  router.post('/v1/verify', (ctx) => {
    if (down) {
      ctx.status = 503;
      ctx.body = { code: 'UNAVAILABLE', message: 'simulated outage' };
      return;
    }
    if (ctx.get('Authorization') !== `Bearer ${apiKey}`) {
      ctx.status = 401;
      ctx.body = { code: 'UNAUTHORIZED' };
      return;
    }
    calls++;
    const { name, idNumber } = (ctx.request.body ?? {}) as { name?: string; idNumber?: string };
    const today = new Date().toISOString().slice(0, 10);
    if (!name || !idNumber || !checkIdNumber(idNumber, today).ok) {
      ctx.body = { match: false, reason: '身份证号无效' };
      return;
    }
    const reason = rejections.get(idNumber.toUpperCase());
    ctx.body = reason ? { match: false, reason } : { match: true };
  });

  router.put('/__sim/rejections/:idNumber', (ctx) => {
    rejections.set(
      ctx.params.idNumber.toUpperCase(),
      (ctx.request.body as { reason?: string }).reason ?? '姓名与身份证号不一致',
    );
    ctx.status = 204;
  });
  router.put('/__sim/faults', (ctx) => {
    down = Boolean((ctx.request.body as { down?: boolean }).down);
    ctx.status = 204;
  });
  router.get('/__sim/stats', (ctx) => {
    ctx.body = { calls };
  });
  router.post('/__sim/reset', (ctx) => {
    rejections.clear();
    calls = 0;
    down = false;
    ctx.status = 204;
  });

  app.use(bodyParser());
  app.use(router.routes());
  return app;
}

export function startIdentitySimulator(apiKey: string, port = 0): Promise<RunningServer> {
  return listen(createIdentitySimApp(apiKey), port);
}
