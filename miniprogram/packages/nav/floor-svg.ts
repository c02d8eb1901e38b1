import type { HospitalMap, Route } from '../../api/types';
import { svgText as text } from '../../lib/svg';

const n = (v: number) => Math.round(v * 100) / 100;

// The design tokens' colours (an SVG image cannot read CSS variables).
const C = {
  primary: '#0b6fd6',
  start: '#067647',
  end: '#c0251a',
  room: '#ffffff',
  roomText: '#4e5968',
  hall: '#f4f6f9',
  core: '#e8f2fd',
  border: '#c9d1db',
  corridor: '#d6dce4',
  floor: '#eef1f5',
};

export interface FloorDrawing {
  svg: string;
  /** Width / height of the floor as drawn. */
  aspect: number;
  /** Where to look first, as fractions of the drawing: the destination if it is here, else where the route leaves. */
  focus: { x: number; y: number };
}

/**
 * One floor as an SVG in metres: rooms and halls with their labels, the
 * walkable corridors, and the route's part on this floor in the primary
 * colour, with the start (green) and the destination (red) when they are here.
 */
export function drawFloor(map: HospitalMap, floorId: string, route?: Route): FloorDrawing {
  const floor = map.floors.find((f) => f.id === floorId)!;
  const geo = map.geometry.find((g) => g.floorId === floorId);
  const pad = 3;
  const { x, y, width, height } = floor.bounds;
  const vb = [x - pad, y - pad, width + 2 * pad, height + 2 * pad];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${vb.map(n).join(' ')}" width="${n(vb[2] * 10)}" height="${n(vb[3] * 10)}">`,
    `<rect x="${n(vb[0])}" y="${n(vb[1])}" width="${n(vb[2])}" height="${n(vb[3])}" fill="${C.floor}"/>`,
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="1" fill="${C.hall}" stroke="${C.border}" stroke-width="0.3"/>`,
  ];
  for (const a of geo?.areas ?? []) {
    const fill = a.kind === 'room' ? C.room : a.kind === 'core' ? C.core : C.hall;
    parts.push(
      `<rect x="${n(a.x + 0.15)}" y="${n(a.y + 0.15)}" width="${n(a.width - 0.3)}" height="${n(a.height - 0.3)}" fill="${fill}" stroke="${C.border}" stroke-width="0.2"/>`,
    );
    if (a.label) {
      const size = Math.min(1.6, (a.width * 0.9) / Math.max(a.label.length, 1));
      parts.push(
        `<text x="${n(a.x + a.width / 2)}" y="${n(a.y + a.height / 2 + size / 3)}" font-size="${n(size)}" text-anchor="middle" fill="${C.roomText}" font-family="sans-serif">${text(a.label)}</text>`,
      );
    }
  }
  for (const [x1, y1, x2, y2] of geo?.corridors ?? []) {
    parts.push(
      `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${C.corridor}" stroke-width="0.6" stroke-linecap="round"/>`,
    );
  }
  let focus = { x: 0.5, y: 0.5 };
  if (route) {
    const here = route.path.filter((p) => p.floor === floorId);
    const at = here[here.length - 1];
    if (at) focus = { x: (at.x - vb[0]) / vb[2], y: (at.y - vb[1]) / vb[3] };
    // The route may visit a floor more than once: draw each visit as its own line.
    let run: string[] = [];
    const runs: string[][] = [];
    for (const p of route.path) {
      if (p.floor === floorId) run.push(`${n(p.x)},${n(p.y)}`);
      else if (run.length) {
        runs.push(run);
        run = [];
      }
    }
    if (run.length) runs.push(run);
    for (const r of runs) {
      parts.push(
        `<polyline points="${r.join(' ')}" fill="none" stroke="${C.primary}" stroke-width="1.2" stroke-linecap="round" stroke-linejoin="round"/>`,
      );
    }
    const marker = (px: number, py: number, color: string, label: string) =>
      parts.push(
        `<circle cx="${n(px)}" cy="${n(py)}" r="1.6" fill="${color}" stroke="#ffffff" stroke-width="0.5"/>`,
        `<text x="${n(px)}" y="${n(py + 0.55)}" font-size="1.5" text-anchor="middle" fill="#ffffff" font-family="sans-serif" font-weight="bold">${text(label)}</text>`,
      );
    const first = route.path[0];
    const last = route.path[route.path.length - 1];
    if (first.floor === floorId) marker(first.x, first.y, C.start, '起');
    if (last.floor === floorId) marker(last.x, last.y, C.end, '终');
  }
  parts.push('</svg>');
  return { svg: parts.join(''), aspect: vb[2] / vb[3], focus };
}

/** `门诊楼 3F`. */
export function floorLabel(map: HospitalMap, floorId: string): string {
  const f = map.floors.find((x) => x.id === floorId);
  const b = f && map.buildings.find((x) => x.id === f.buildingId);
  return f ? `${b?.name ?? ''} ${f.name}` : floorId;
}

/** `约 3 分钟`. */
export const etaText = (seconds: number) => (seconds < 60 ? '不到 1 分钟' : `约 ${Math.round(seconds / 60)} 分钟`);
