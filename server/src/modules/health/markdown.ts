import MarkdownIt from 'markdown-it';

/**
 * The safe Markdown subset of knowledge articles: headings, paragraphs,
 * emphasis, lists, block quotes, code and rules. Raw HTML is escaped (never
 * passed through), and links, images and autolinks are off, so no tag,
 * attribute, URL or event handler written by an author reaches the page:
 * the output holds only the tags below, without attributes.
 */
const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true }).disable([
  'link',
  'image',
  'autolink',
  'reference',
  'table',
  'html_block',
  'html_inline',
]);

export const ALLOWED_TAGS = [
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'p',
  'strong',
  'em',
  's',
  'ul',
  'ol',
  'li',
  'blockquote',
  'code',
  'pre',
  'hr',
  'br',
];

export function renderArticle(markdown: string): string {
  return md.render(markdown);
}

/** Plain text of the start of an article, for list previews. */
export function excerptOf(markdown: string, length = 60): string {
  const text = markdown
    .replace(/^#+\s.*$/gm, '')
    .replace(/[*_`>#~-]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
