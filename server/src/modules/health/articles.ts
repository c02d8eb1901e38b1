import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '../../db';
import { asDate, type SqlValue } from '../../db/sql';
import { notFound } from '../../http/errors';
import { newId } from '../../lib/ids';
import { toShanghaiIso, toShanghaiIsoOrNull } from '../../lib/time';
import { recordAudit, type Actor } from '../audit/service';
import { excerptOf, renderArticle } from './markdown';
import type { ArticleInput, ArticleListQuery } from './schemas';

type Row = Record<string, unknown>;
const COLUMNS = `id, title, category, tags, body, author, published, published_at AS "publishedAt",
  read_count AS "readCount", updated_at AS "updatedAt"`;

const tagsOf = (v: unknown) => JSON.parse(String(v || '[]')) as string[];
const bool = (v: unknown) => v === true || v === 1 || v === '1';

function summaryOf(r: Row) {
  return {
    id: r.id as string,
    title: r.title as string,
    category: r.category as ArticleInput['category'],
    tags: tagsOf(r.tags),
    author: r.author as string,
    excerpt: excerptOf(r.body as string),
    published: bool(r.published),
    publishedAt: toShanghaiIsoOrNull(r.publishedAt === null ? null : asDate(r.publishedAt)),
    readCount: Number(r.readCount),
    updatedAt: toShanghaiIso(asDate(r.updatedAt)),
  };
}

/**
 * 健康知识: articles staff write in the console's 内容管理 (each change
 * audited) and patients read. Bodies are Markdown rendered to a safe subset
 * (./markdown.ts); each patient view counts a read.
 */
export class HealthArticles {
  constructor(private readonly d: { db: Db }) {}

  private async page(where: string[], params: SqlValue[], q: { page: number; pageSize: number }) {
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [count, rows] = await Promise.all([
      this.d.db.sql.one<{ n: number }>(`SELECT COUNT(*) AS n FROM health_articles ${clause}`, params),
      this.d.db.sql.all<Row>(
        `SELECT ${COLUMNS} FROM health_articles ${clause}
         ORDER BY published_at DESC, updated_at DESC, id LIMIT ? OFFSET ?`,
        [...params, q.pageSize, (q.page - 1) * q.pageSize],
      ),
    ]);
    return { items: rows.map(summaryOf), total: Number(count?.n ?? 0), page: q.page, pageSize: q.pageSize };
  }

  private filters(q: ArticleListQuery, where: string[], params: SqlValue[]) {
    if (q.category) {
      where.push('category = ?');
      params.push(q.category);
    }
    if (q.q) {
      const like = `%${q.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(
        `(LOWER(title) LIKE ? ESCAPE '\\' OR LOWER(tags) LIKE ? ESCAPE '\\' OR LOWER(body) LIKE ? ESCAPE '\\')`,
      );
      params.push(like, like, like);
    }
  }

  /** Published articles, newest first, by category and words in the title, tags or body. */
  list(q: ArticleListQuery) {
    const where = ['published = ?'];
    const params: SqlValue[] = [true];
    this.filters(q, where, params);
    return this.page(where, params, q);
  }

  /** One published article with its body rendered; the read is counted. */
  async read(id: string) {
    const n = await this.d.db.writeSql((sql) =>
      sql.run('UPDATE health_articles SET read_count = read_count + 1 WHERE id = ? AND published = ?', [id, true]),
    );
    if (!n) throw notFound('文章');
    return this.detail(id);
  }

  private async detail(id: string) {
    const row = await this.d.db.sql.one<Row>(`SELECT ${COLUMNS} FROM health_articles WHERE id = ?`, [id]);
    if (!row) throw notFound('文章');
    return { ...summaryOf(row), body: row.body as string, html: renderArticle(row.body as string) };
  }

  /** 内容管理: every article, drafts included. */
  listAll(q: ArticleListQuery) {
    const where: string[] = [];
    const params: SqlValue[] = [];
    this.filters(q, where, params);
    return this.page(where, params, q);
  }

  get(id: string) {
    return this.detail(id);
  }

  async create(input: ArticleInput, actor: Actor) {
    const id = newId('art');
    const now = new Date();
    await this.d.db.writeSql(async (sql) => {
      await sql.run(
        `INSERT INTO health_articles (id, title, category, tags, body, author, published, published_at, read_count, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
        [
          id,
          input.title,
          input.category,
          JSON.stringify(input.tags),
          input.body,
          input.author,
          input.published,
          input.published ? now : null,
          now,
          now,
        ],
      );
      await recordAudit(sql, actor, {
        action: 'article.create',
        targetType: 'article',
        targetId: id,
        details: { title: input.title, published: input.published },
      });
    });
    return this.detail(id);
  }

  async update(id: string, input: ArticleInput, actor: Actor) {
    const now = new Date();
    await this.d.db.writeSql(async (sql) => {
      const n = await sql.run(
        `UPDATE health_articles SET title = ?, category = ?, tags = ?, body = ?, author = ?, published = ?,
           published_at = CASE WHEN ? THEN COALESCE(published_at, ?) ELSE NULL END, updated_at = ?
         WHERE id = ?`,
        [
          input.title,
          input.category,
          JSON.stringify(input.tags),
          input.body,
          input.author,
          input.published,
          input.published,
          now,
          now,
          id,
        ],
      );
      if (!n) throw notFound('文章');
      await recordAudit(sql, actor, {
        action: 'article.update',
        targetType: 'article',
        targetId: id,
        details: { title: input.title, published: input.published },
      });
    });
    return this.detail(id);
  }

  async remove(id: string, actor: Actor) {
    await this.d.db.writeSql(async (sql) => {
      const n = await sql.run('DELETE FROM health_articles WHERE id = ?', [id]);
      if (!n) throw notFound('文章');
      await recordAudit(sql, actor, { action: 'article.delete', targetType: 'article', targetId: id });
    });
  }

  /** Seeds the original articles in ./data/articles.json when there are none (demo data and tests). */
  async seedIfEmpty(): Promise<number> {
    const count = await this.d.db.sql.one<{ n: number }>('SELECT COUNT(*) AS n FROM health_articles');
    if (Number(count?.n) > 0) return 0;
    const seed = seedFile.parse(JSON.parse(readFileSync(path.join(__dirname, 'data', 'articles.json'), 'utf8')));
    const now = Date.now();
    await this.d.db.writeSql(async (sql) => {
      for (const [i, a] of seed.articles.entries()) {
        const at = new Date(now - i * 86_400_000);
        await sql.run(
          `INSERT INTO health_articles (id, title, category, tags, body, author, published, published_at, read_count, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
          [newId('art'), a.title, a.category, JSON.stringify(a.tags), a.body, a.author, true, at, at, at],
        );
      }
    });
    return seed.articles.length;
  }
}

const seedFile = z.object({
  articles: z.array(
    z.object({
      title: z.string(),
      category: z.string(),
      tags: z.array(z.string()),
      author: z.string(),
      body: z.string(),
    }),
  ),
});
