import { createRequire } from 'node:module';
import path from 'node:path';
import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import type { Router } from '@koa/router';
import send from 'koa-send';

export function buildOpenApiDocument(registry: OpenAPIRegistry) {
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: '医联云健康 API',
      version: '1',
      description: 'Patient, console and partner API. Conventions: docs/api-conventions.md.',
      license: { name: 'Proprietary', url: 'https://yilian.example.com/terms' },
    },
    servers: [{ url: '/' }],
  });
}

const swaggerDir = path.dirname(createRequire(__filename).resolve('swagger-ui-dist/package.json'));

const DOCS_HTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>医联云健康 API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

const INIT_JS = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui' });`;

/** `/api/openapi.json` and a Swagger UI at `/api/docs`, served from swagger-ui-dist. */
export function mountApiDocs(router: Router, document: object) {
  router.get('/api/openapi.json', (ctx) => {
    ctx.body = document;
  });
  router.get('/api/docs', (ctx) => {
    ctx.type = 'html';
    ctx.body = DOCS_HTML;
  });
  router.get('/api/docs/init.js', (ctx) => {
    ctx.type = 'application/javascript';
    ctx.body = INIT_JS;
  });
  router.get('/api/docs/:file', async (ctx) => {
    if (!/^swagger-ui[\w.-]*\.(js|css)$/.test(ctx.params.file)) return;
    await send(ctx, ctx.params.file, { root: swaggerDir, maxage: 86_400_000 });
  });
}
