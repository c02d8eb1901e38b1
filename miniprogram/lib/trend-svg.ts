/**
 * The trend chart drawn as SVG text (ASCII only, for a data URI), plus the same trend in words.
 * Pure functions, so tests and scripts use them without Taro; the component is
 * components/trend-chart.tsx.
 */

export interface TrendPoint {
  /** ISO time (any offset); shown as a Shanghai date. */
  at: string;
  value: number;
}

export interface TrendSeries {
  /** e.g. 空腹血糖, 收缩压. */
  name: string;
  points: TrendPoint[];
  /** Defaults to the palette, in order. */
  color?: string;
}

export interface TrendBand {
  /** Lower edge; open below when absent. */
  low?: number;
  /** Upper edge; open above when absent. */
  high?: number;
  /** e.g. 参考范围, 收缩压目标; drawn inside the band. */
  label?: string;
  color?: string;
}

export interface TrendChartOptions {
  series: TrendSeries[];
  bands?: TrendBand[];
  unit?: string;
}

const W = 640;
const H = 420;
const PAD = { left: 96, right: 28, top: 64, bottom: 72 };
/** Room under the x axis for the band legend. */
const BAND_ROW = 44;
const FONT = 28;
const PALETTE = ['#0b6fd6', '#b54708', '#6a3fb8', '#067647'];
const BAND_COLOURS = ['#067647', '#0b6fd6', '#b54708'];

/** Text for inside the SVG: XML-escaped, non-ASCII as character references (the data URI is ASCII only). */
export function svgText(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (c > 126 || c < 32) out += `&#x${c.toString(16)};`;
    else out += ch;
  }
  return out;
}

/** The Shanghai calendar date of an instant: `YYYY-MM-DD`. */
export const shanghaiDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
/** `2026-11-28` -> `11/28`, or `2025/11/28` when the chart spans years. */
const axisDate = (date: string, withYear: boolean) =>
  `${withYear ? `${date.slice(0, 4)}/` : ''}${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`;
/** `2026-11-28` -> `2026年11月28日` */
const longDate = (date: string) => `${date.slice(0, 4)}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

/** Up to about `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (min === max) {
    const d = Math.abs(min) * 0.1 || 1;
    min -= d;
    max += d;
  }
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(round(v));
  if (ticks[ticks.length - 1] < max) ticks.push(round(ticks[ticks.length - 1] + step));
  return ticks;
}

const round = (v: number) => Number(v.toPrecision(10));
const fmt = (v: number) => String(round(v));

/** The chart as an SVG string (ASCII only). */
export function trendSvg({ series, bands = [], unit }: TrendChartOptions): string {
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.value));
  const values = all.map((p) => p.value);
  for (const b of bands) {
    if (b.low !== undefined) values.push(b.low);
    if (b.high !== undefined) values.push(b.high);
  }
  const ticks = niceTicks(Math.min(...values), Math.max(...values));
  const [y0, y1] = [ticks[0], ticks[ticks.length - 1]];
  const times = all.map((p) => Date.parse(p.at));
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const plotW = W - PAD.left - PAD.right;
  const legendRows = bands.some((b) => b.label) ? BAND_ROW : 0;
  const height = H + legendRows;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (t: number) => (t1 === t0 ? PAD.left + plotW / 2 : PAD.left + 16 + ((t - t0) / (t1 - t0)) * (plotW - 32));
  const y = (v: number) => PAD.top + plotH - ((v - y0) / (y1 - y0)) * plotH;
  const parts: string[] = [`<rect width="${W}" height="${height}" fill="#fff"/>`];
  // Band labels go in a row under the axis, where no line can hide them.
  const labels: Array<{ text: string; colour: string }> = [];

  bands.forEach((b, i) => {
    const colour = b.color ?? BAND_COLOURS[i % BAND_COLOURS.length];
    const top = y(b.high ?? y1);
    const bottom = y(b.low ?? y0);
    parts.push(
      `<rect x="${PAD.left}" y="${top.toFixed(1)}" width="${plotW}" height="${Math.max(bottom - top, 1).toFixed(1)}" fill="${colour}" fill-opacity="0.1"/>`,
    );
    for (const edge of [b.low, b.high]) {
      if (edge === undefined) continue;
      parts.push(
        `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(edge).toFixed(1)}" y2="${y(edge).toFixed(1)}" stroke="${colour}" stroke-width="2" stroke-dasharray="10 8"/>`,
      );
    }
    if (b.label) {
      const range =
        b.low !== undefined && b.high !== undefined
          ? `${fmt(b.low)}-${fmt(b.high)}`
          : b.low !== undefined
            ? `≥${fmt(b.low)}`
            : `≤${fmt(b.high ?? 0)}`;
      labels.push({ text: `${b.label} ${range}`, colour });
    }
  });

  // Y axis: grid lines and values.
  for (const t of ticks) {
    parts.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e3e7ed" stroke-width="1"/>`,
      `<text x="${PAD.left - 12}" y="${(y(t) + FONT / 3).toFixed(1)}" text-anchor="end" font-size="${FONT}" fill="#4e5968">${fmt(t)}</text>`,
    );
  }
  if (unit) {
    parts.push(`<text x="12" y="${FONT + 4}" font-size="${FONT - 4}" fill="#4e5968">${svgText(unit)}</text>`);
  }

  // X axis: Shanghai dates, as many as fit without overlapping (first and last always).
  const dates = [...new Set(all.map((p) => p.at))].sort((a, b) => Date.parse(a) - Date.parse(b));
  const withYear =
    dates.length > 0 && shanghaiDate(dates[0]).slice(0, 4) !== shanghaiDate(dates[dates.length - 1]).slice(0, 4);
  const labelW = (withYear ? 10 : 5) * FONT * 0.6;
  const last = dates.length - 1;
  const xs = dates.map((d) => x(Date.parse(d)));
  const shown: number[] = [];
  xs.forEach((px, i) => {
    if (i === 0 || i === last) return;
    if ([0, last, ...shown].every((j) => Math.abs(xs[j] - px) >= labelW * 1.5)) shown.push(i);
  });
  if (last > 0 && Math.abs(xs[last] - xs[0]) >= labelW * 2) shown.unshift(0);
  shown.push(last);
  for (const i of shown) {
    const anchor = dates.length > 1 && i === 0 ? 'start' : dates.length > 1 && i === last ? 'end' : 'middle';
    const tx = anchor === 'start' ? Math.max(xs[i] - 16, 4) : anchor === 'end' ? Math.min(xs[i] + 16, W - 4) : xs[i];
    parts.push(
      `<text x="${tx.toFixed(1)}" y="${H - PAD.bottom + FONT + 16}" text-anchor="${anchor}" font-size="${FONT}" fill="#4e5968">${axisDate(shanghaiDate(dates[i]), withYear)}</text>`,
    );
  }
  parts.push(
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}" stroke="#8a939c" stroke-width="2"/>`,
  );

  // Series: line, dots, and the latest value written out.
  series.forEach((s, i) => {
    const colour = s.color ?? PALETTE[i % PALETTE.length];
    const pts = s.points
      .filter((p) => Number.isFinite(p.value))
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
      .map((p) => [x(Date.parse(p.at)), y(p.value), p.value] as const);
    if (!pts.length) return;
    if (pts.length > 1) {
      parts.push(
        `<polyline points="${pts.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="4" stroke-linejoin="round"/>`,
      );
    }
    for (const [px, py] of pts) {
      parts.push(
        `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="8" fill="#fff" stroke="${colour}" stroke-width="4"/>`,
      );
    }
    const [lx, ly, lv] = pts[pts.length - 1];
    parts.push(
      `<text x="${Math.min(lx, W - PAD.right - 8).toFixed(1)}" y="${(ly - 18).toFixed(1)}" text-anchor="${lx > W - 120 ? 'end' : 'middle'}" font-size="${FONT}" font-weight="bold" fill="${colour}">${fmt(lv)}</text>`,
    );
  });

  // Legend when there is more than one series.
  if (series.length > 1) {
    let lx = PAD.left + 24;
    series.forEach((s, i) => {
      const colour = s.color ?? PALETTE[i % PALETTE.length];
      parts.push(
        `<line x1="${lx}" x2="${lx + 32}" y1="${FONT - 6}" y2="${FONT - 6}" stroke="${colour}" stroke-width="6"/>`,
        `<text x="${lx + 40}" y="${FONT + 2}" font-size="${FONT - 2}" fill="#1f2329">${svgText(s.name)}</text>`,
      );
      lx += 40 + [...s.name].length * (FONT - 2) + 32;
    });
  }

  let bx = PAD.left - 40;
  for (const { text, colour } of labels) {
    const ly = H + 8;
    parts.push(
      `<rect x="${bx}" y="${ly}" width="28" height="24" fill="${colour}" fill-opacity="0.18" stroke="${colour}" stroke-dasharray="6 4"/>`,
      `<text x="${bx + 36}" y="${ly + 21}" font-size="${FONT - 2}" fill="${colour}">${svgText(text)}</text>`,
    );
    bx += 36 + [...text].reduce((w, ch) => w + (ch.charCodeAt(0) > 126 ? FONT - 2 : (FONT - 2) * 0.56), 0) + 28;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" ` +
    `font-family="PingFang SC,Noto Sans CJK SC,Microsoft YaHei,sans-serif">${parts.join('')}</svg>`
  );
}

/** The same trend in words: what a screen reader says and what sits under the chart. */
export function trendSummary({ series, bands = [], unit = '' }: TrendChartOptions): string {
  const lines = series.map((s) => {
    const pts = s.points.filter((p) => Number.isFinite(p.value)).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    if (!pts.length) return `${s.name}暂无记录。`;
    const latest = pts[pts.length - 1];
    const vs = pts.map((p) => p.value);
    let text = `${s.name}共 ${pts.length} 次，最近一次 ${longDate(shanghaiDate(latest.at))} 为 ${fmt(latest.value)}${unit ? ` ${unit}` : ''}`;
    if (pts.length > 1) {
      const prev = pts[pts.length - 2].value;
      text += latest.value > prev ? '，比上次高' : latest.value < prev ? '，比上次低' : '，与上次相同';
      text += `；最低 ${fmt(Math.min(...vs))}，最高 ${fmt(Math.max(...vs))}`;
    }
    const band = bands.length === 1 ? bands[0] : bands.length === series.length ? bands[series.indexOf(s)] : undefined;
    if (band) {
      const range = `${band.label ?? '参考范围'}${band.low !== undefined ? ` ${fmt(band.low)}` : ''}${band.low !== undefined && band.high !== undefined ? '-' : ''}${band.high !== undefined ? `${band.low === undefined ? ' ≤' : ''}${fmt(band.high)}` : ''}`;
      if (band.high !== undefined && latest.value > band.high) text += `，高于${range}`;
      else if (band.low !== undefined && latest.value < band.low) text += `，低于${range}`;
      else text += `，在${range}内`;
    }
    return `${text}。`;
  });
  return lines.join('');
}
