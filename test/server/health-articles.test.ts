import { renderArticle } from '../../server/src/modules/health/markdown';
import { consoleSignIn, makeStaff, CONSOLE, type ConsoleClient } from '../support/console';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
let admin: ConsoleClient;
beforeAll(async () => {
  p = await startTestPlatform();
  await p.services.articles.seedIfEmpty();
  admin = await consoleSignIn(p, await makeStaff(p, 'platform_admin'));
});
afterAll(() => p.close());

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(1)">',
  '<a href="javascript:alert(1)" onclick="alert(2)">点我</a>',
  '[点我](javascript:alert(1))',
  '[点我](JaVaScRiPt:alert(1))',
  '[点我](&#106;avascript:alert(1))',
  '![图](x" onerror="alert(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<svg onload=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<style>body{display:none}</style>',
  '```html\n<script>alert(1)</script>\n```',
  '<https://evil.example>',
  '[ref]: javascript:alert(1)\n\n[ref]',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '**<b onmouseover=alert(1)>粗</b>**',
].join('\n\n');

/** Every tag in the output, with whatever follows its name. */
const tagsIn = (html: string) => [...html.matchAll(/<\/?([a-zA-Z0-9]+)([^>]*)>/g)].map((m) => [m[1], m[2]]);

describe('safe Markdown', () => {
  it('renders the subset (headings, emphasis, lists, quotes) and nothing an author could use to run code', () => {
    const html = renderArticle(`## 标题\n\n**重点** 与 *强调*\n\n- 一\n- 二\n\n1. 第一\n\n> 引用\n\n${HOSTILE}`);
    expect(html).toContain('<h2>标题</h2>');
    expect(html).toContain('<strong>重点</strong>');
    expect(html).toContain('<em>强调</em>');
    expect(html).toMatch(/<ul>\s*<li>一<\/li>/);
    expect(html).toContain('<blockquote>');
    for (const [tag, rest] of tagsIn(html)) {
      // Only the subset's tags, and none with an attribute (no href, src, style or on* handler).
      expect(['h2', 'p', 'strong', 'em', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'br']).toContain(tag);
      expect(rest.trim()).toBe(tag === 'code' ? rest.trim() : '');
    }
    expect(html).not.toMatch(/<script|<img|<a[\s>]|<svg|<iframe|<style|<div/i);
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    // The hostile text is shown as text, escaped.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<[^>]*\s(href|src|style)\s*=/i);
  });

  it('reaches patients only through the API in that form', async () => {
    const created = await admin
      .post('/articles', {
        title: '测试：恶意内容',
        category: 'general',
        tags: ['测试'],
        author: '测试',
        body: HOSTILE,
        published: true,
      })
      .expect(201);
    const res = await p.api.get(`/api/v1/articles/${created.body.id}`).expect(200);
    expect(res.body.html).not.toMatch(/<(script|img|a|svg|iframe|style|div)[\s>]/i);
    expect(res.body.html).not.toMatch(/<[^>]+\s(on\w+|href|src|style)=/i);
    expect(res.body.body).toBe(HOSTILE);
    await admin.agent.delete(`${CONSOLE}/articles/${created.body.id}`).set('X-CSRF-Token', admin.csrf).expect(204);
  });
});

describe('knowledge articles', () => {
  it('seeds original articles on blood pressure, diabetes, children’s fever and seasonal health', async () => {
    const res = await p.api.get('/api/v1/articles').query({ pageSize: 50 }).expect(200);
    expect(res.body.total).toBeGreaterThanOrEqual(5);
    const categories = new Set(res.body.items.map((a: { category: string }) => a.category));
    for (const c of ['blood_pressure', 'diabetes', 'child_health', 'seasonal']) expect(categories).toContain(c);
    expect(res.body.items[0]).toMatchObject({
      id: expect.stringMatching(/^art_/),
      excerpt: expect.any(String),
      published: true,
      readCount: expect.any(Number),
    });
    expect(await p.services.articles.seedIfEmpty()).toBe(0);
  });

  it('searches title, tags and body, filters by category, and counts reads', async () => {
    const fever = await p.api.get('/api/v1/articles').query({ q: '发烧' }).expect(200);
    expect(fever.body.items.map((a: { title: string }) => a.title)).toContain('孩子发烧了，家长先别慌');
    const byTag = await p.api.get('/api/v1/articles').query({ q: '限盐' }).expect(200);
    expect(byTag.body.total).toBe(1);
    const diabetes = await p.api.get('/api/v1/articles').query({ category: 'diabetes' }).expect(200);
    expect(diabetes.body.items.every((a: { category: string }) => a.category === 'diabetes')).toBe(true);
    expect((await p.api.get('/api/v1/articles').query({ q: '100%_' }).expect(200)).body.total).toBe(0);
    await p.api.get('/api/v1/articles').query({ category: 'astrology' }).expect(422);

    const id = fever.body.items[0].id;
    const first = await p.api.get(`/api/v1/articles/${id}`).expect(200);
    const second = await p.api.get(`/api/v1/articles/${id}`).expect(200);
    expect(second.body.readCount).toBe(first.body.readCount + 1);
    expect(first.body.html).toContain('<h2>');
    await p.api.get('/api/v1/articles/art_missing').expect(404);
  });

  it('内容管理: platform admins write, publish and unpublish, each change audited; drafts stay hidden', async () => {
    const draft = await admin
      .post('/articles', {
        title: '春季过敏怎么防',
        category: 'seasonal',
        tags: ['春季', '过敏'],
        author: '编辑部',
        body: '## 花粉季\n\n外出戴口罩。',
        published: false,
      })
      .expect(201);
    expect(draft.body).toMatchObject({
      published: false,
      publishedAt: null,
      html: expect.stringContaining('<h2>花粉季</h2>'),
    });
    await p.api.get(`/api/v1/articles/${draft.body.id}`).expect(404);
    expect((await p.api.get('/api/v1/articles').query({ q: '花粉' })).body.total).toBe(0);
    expect((await admin.get('/articles').query({ q: '花粉' })).body.total).toBe(1);

    const live = await admin.put(`/articles/${draft.body.id}`, { ...draftBody(), published: true }).expect(200);
    expect(live.body.publishedAt).toMatch(/\+08:00$/);
    await p.api.get(`/api/v1/articles/${draft.body.id}`).expect(200);
    await admin.put(`/articles/${draft.body.id}`, { ...draftBody(), title: '' }).expect(422);
    await admin.put('/articles/art_missing', draftBody()).expect(404);

    const audit = await admin.get('/audit-events').query({ pageSize: 50 }).expect(200);
    const actions = audit.body.items
      .filter((e: { targetId: string }) => e.targetId === draft.body.id)
      .map((e: { action: string }) => e.action);
    expect(actions.sort()).toEqual(['article.create', 'article.update']);
  });

  it('refuses the console to other roles and to callers without a session', async () => {
    const nurse = await consoleSignIn(p, await makeStaff(p, 'triage_nurse'));
    expect((await nurse.get('/articles')).status).toBe(403);
    expect((await nurse.post('/articles', draftBody())).status).toBe(403);
    expect((await p.api.get(`${CONSOLE}/articles`)).status).toBe(401);
  });
});

function draftBody() {
  return {
    title: '春季过敏怎么防',
    category: 'seasonal',
    tags: ['春季'],
    author: '编辑部',
    body: '正文',
    published: false,
  };
}
