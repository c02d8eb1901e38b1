import { z } from 'zod';
import { defineRoute } from '../../http/route';
import { idParam } from '../../http/schemas';
import { actorOf } from '../audit/service';
import type { HealthArticles } from './articles';
import { article, articleInput, articleListQuery, articlePage } from './schemas';

const tags = ['console'];
/** 内容管理 is platform-wide content: platform admins only. */
const route = { tags, access: 'staff' as const, roles: ['platform_admin' as const] };

export function articleConsoleRoutes(articles: HealthArticles) {
  return [
    defineRoute({
      ...route,
      method: 'get',
      path: '/articles',
      operationId: 'consoleListArticles',
      summary: '内容管理: every knowledge article, drafts included',
      query: articleListQuery,
      response: articlePage,
      handler: ({ query }) => articles.listAll(query),
    }),
    defineRoute({
      ...route,
      method: 'get',
      path: '/articles/:id',
      operationId: 'consoleGetArticle',
      summary: 'One article with its Markdown and the rendered preview',
      params: idParam,
      response: article,
      errors: [404],
      handler: ({ params }) => articles.get(params.id),
    }),
    defineRoute({
      ...route,
      method: 'post',
      path: '/articles',
      operationId: 'consoleCreateArticle',
      summary: 'Write an article (audited)',
      body: articleInput,
      response: article,
      status: 201,
      handler: ({ body, staff, ctx }) => articles.create(body, actorOf(staff, ctx)),
    }),
    defineRoute({
      ...route,
      method: 'put',
      path: '/articles/:id',
      operationId: 'consoleUpdateArticle',
      summary: 'Change or publish / unpublish an article (audited)',
      params: idParam,
      body: articleInput,
      response: article,
      errors: [404],
      handler: ({ params, body, staff, ctx }) => articles.update(params.id, body, actorOf(staff, ctx)),
    }),
    defineRoute({
      ...route,
      method: 'delete',
      path: '/articles/:id',
      operationId: 'consoleDeleteArticle',
      summary: 'Delete an article (audited)',
      params: idParam,
      response: z.void(),
      status: 204,
      errors: [404],
      handler: ({ params, staff, ctx }) => articles.remove(params.id, actorOf(staff, ctx)),
    }),
  ];
}
