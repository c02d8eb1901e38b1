import Koa from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import helmet from 'koa-helmet';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Config } from './config';
import type { Db } from './db';
import type { HisClient } from './his/types';
import type { Logger } from './logger';
import { errorHandler } from './http/errors';
import { buildOpenApiDocument, mountApiDocs } from './http/openapi';
import { requestContext } from './http/request-context';
import { mountRoutes } from './http/route';
import { serveH5 } from './http/static';
import { hospitalRoutes } from './modules/hospitals/routes';
import { HospitalService } from './modules/hospitals/service';

export const API_PREFIX = '/api/v1';

export interface AppDeps {
  config: Pick<Config, 'catalogTtlMs' | 'h5DistDir'>;
  db: Db;
  his: HisClient;
  log: Logger;
}

export interface Services {
  hospitals: HospitalService;
}

/** Builds the whole app without listening, so tests run the real thing in process. */
export function createApp(deps: AppDeps) {
  const services: Services = {
    hospitals: new HospitalService({ ...deps, catalogTtlMs: deps.config.catalogTtlMs }),
  };

  const registry = new OpenAPIRegistry();
  const api = new Router({ prefix: API_PREFIX });
  mountRoutes(api, registry, API_PREFIX, [...hospitalRoutes(services.hospitals)]);

  const root = new Router();
  mountApiDocs(root, buildOpenApiDocument(registry));
  root.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  root.get('/readyz', async (ctx) => {
    try {
      await deps.db.sequelize.query('SELECT 1');
      ctx.body = { status: 'ready' };
    } catch {
      ctx.status = 503;
      ctx.body = { error: { code: 'NOT_READY', message: '服务暂未就绪' } };
    }
  });

  const app = new Koa();
  app.proxy = true;
  app.on('error', (err: NodeJS.ErrnoException) => {
    // A patient closing the page mid-download is not a server fault.
    const aborted = ['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE'].includes(err.code ?? '');
    deps.log[aborted ? 'debug' : 'error']({ err }, 'response stream error');
  });
  app.use(requestContext(deps.log));
  app.use(errorHandler);
  app.use(serveH5(deps.config.h5DistDir));
  // TLS is terminated in front of the app; upgrading requests here would break plain-HTTP local use.
  app.use(
    helmet({
      crossOriginEmbedderPolicy: false,
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '256kb', encoding: 'utf-8' }));
  app.use(root.routes());
  app.use(api.routes());
  app.use(api.allowedMethods({ throw: false }));
  return { app, services };
}
