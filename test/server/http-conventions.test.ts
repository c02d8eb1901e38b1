import Koa from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import supertest from 'supertest';
import { z } from 'zod';
import { AppError, errorHandler } from '../../server/src/http/errors';
import { RateLimits } from '../../server/src/http/rate-limit';
import { defineRoute, mountRoutes } from '../../server/src/http/route';
import { pageQuery } from '../../server/src/http/schemas';

// A small app built from the same pieces as the real one, to pin the
// conventions every module inherits: strict bodies, Chinese validation
// messages, stable error codes, no stack traces.
function testApp() {
  const registry = new OpenAPIRegistry();
  const every = { points: 1000, durationSec: 60 };
  const limiter = new RateLimits({ readPerIp: every, refreshPerIp: every, writePerIp: every });
  const router = new Router({ prefix: '/api/v1' });
  mountRoutes(
    router,
    registry,
    '/api/v1',
    [
      defineRoute({
        method: 'post',
        path: '/things',
        operationId: 'createThing',
        summary: 'test',
        tags: ['test'],
        access: 'public',
        body: z.strictObject({ name: z.string().min(1).max(10), count: z.number().int().min(0) }),
        response: z.object({ name: z.string(), count: z.number() }),
        status: 201,
        handler: async ({ body }) => body,
      }),
      defineRoute({
        method: 'get',
        path: '/things',
        operationId: 'listThings',
        summary: 'test',
        tags: ['test'],
        access: 'public',
        query: pageQuery,
        response: z.object({ page: z.number(), pageSize: z.number() }),
        handler: async ({ query }) => query,
      }),
      defineRoute({
        method: 'get',
        path: '/boom',
        operationId: 'boom',
        summary: 'test',
        tags: ['test'],
        access: 'public',
        response: z.object({}),
        handler: async () => {
          throw new Error('secret internals at /srv/app.ts:12');
        },
      }),
      defineRoute({
        method: 'get',
        path: '/conflict',
        operationId: 'conflict',
        summary: 'test',
        tags: ['test'],
        access: 'public',
        response: z.object({}),
        handler: async () => {
          throw new AppError(409, 'SLOT_FULL', '该时段已约满');
        },
      }),
    ],
    { limiter },
  );
  const app = new Koa();
  app.silent = true;
  app.use(errorHandler);
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '1kb' }));
  app.use(router.routes());
  return { api: supertest(app.callback()) };
}

const { api } = testApp();

describe('HTTP conventions', () => {
  it('accepts a valid body and answers with the declared status', async () => {
    const res = await api.post('/api/v1/things').send({ name: '血压计', count: 2 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: '血压计', count: 2 });
  });

  it('rejects unknown fields and wrong types with 422, listing every field in Chinese', async () => {
    const res = await api.post('/api/v1/things').send({ name: 5, count: 'x', admin: true });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const fields = res.body.error.details.fields as Array<{ path: string; message: string }>;
    expect(fields.map((f) => f.path)).toEqual(expect.arrayContaining(['body.name', 'body.count', 'body']));
    for (const f of fields) expect(f.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('rejects a missing body with 422, malformed JSON with 400 and an oversized body with 413', async () => {
    expect((await api.post('/api/v1/things')).status).toBe(422);
    const bad = await api.post('/api/v1/things').set('Content-Type', 'application/json').send('{"name":');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('MALFORMED_REQUEST');
    const big = await api.post('/api/v1/things').send({ name: 'x'.repeat(5000), count: 1 });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('defaults paging to page 1 of 20 and clamps page sizes to 100', async () => {
    expect((await api.get('/api/v1/things')).body).toEqual({ page: 1, pageSize: 20 });
    expect((await api.get('/api/v1/things?pageSize=5000&page=3')).body).toEqual({ page: 3, pageSize: 100 });
  });

  it('passes AppErrors through with their status and code', async () => {
    const res = await api.get('/api/v1/conflict');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: { code: 'SLOT_FULL', message: '该时段已约满' } });
  });

  it('turns an unexpected error into a 500 without leaking details', async () => {
    const res = await api.get('/api/v1/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL_ERROR', message: '服务器开小差了，请稍后再试' } });
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });

  it('refuses to mount a route that does not say who may call it', () => {
    const router = new Router();
    const spec = {
      ...defineRoute({
        method: 'get',
        path: '/x',
        operationId: 'x',
        summary: 'x',
        tags: [],
        access: 'public',
        response: z.object({}),
        handler: async () => ({}),
      }),
      access: undefined,
    };
    expect(() => mountRoutes(router, new OpenAPIRegistry(), '', [spec as never])).toThrow(/access/);
  });
});
