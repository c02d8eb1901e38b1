import { z } from 'zod';

/**
 * The indoor map of one hospital (docs/navigation-map.md): buildings, floors,
 * a walkable graph in metres (x east, y south, one frame for the whole site),
 * the points of interest sitting on its nodes, and what each floor looks like.
 * The HIS serves it; `validateMap` decides whether it may replace the one in use.
 */

const id = z.string().min(1).max(64);
const metres = z.number().finite().min(-10_000).max(10_000);

export const POI_CATEGORIES = [
  'clinic',
  'registration',
  'payment',
  'lab',
  'imaging',
  'pharmacy',
  'toilet',
  'elevator',
  'stairs',
  'escalator',
  'entrance',
  'exit',
  'service',
] as const;
export type PoiCategory = (typeof POI_CATEGORIES)[number];

/** `walk` stays on one floor; `bridge` is a corridor between two buildings; the rest are vertical connectors. */
export const EDGE_KINDS = ['walk', 'bridge', 'elevator', 'stairs', 'escalator'] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];
export const VERTICAL_KINDS: ReadonlySet<EdgeKind> = new Set(['elevator', 'stairs', 'escalator']);

const rect = z.object({
  x: metres,
  y: metres,
  width: z.number().positive().max(5000),
  height: z.number().positive().max(5000),
});

export const mapDocument = z.object({
  format: z.literal(1),
  hospitalCode: z.string().min(1).max(32),
  /** Where routes start when the patient names no start: the main entrance. */
  entrancePoiId: id,
  buildings: z
    .array(z.object({ id, name: z.string().min(1).max(40) }))
    .min(1)
    .max(50),
  floors: z
    .array(
      z.object({
        id,
        buildingId: id,
        /** 1 = ground floor, -1 = first basement. */
        level: z.number().int().min(-10).max(200),
        name: z.string().min(1).max(20),
        bounds: rect,
        /** Rooms and halls to draw (rectangles), with optional labels. */
        areas: z
          .array(rect.extend({ kind: z.enum(['room', 'hall', 'core']), label: z.string().max(40).optional() }))
          .max(2000)
          .default([]),
      }),
    )
    .min(1)
    .max(500),
  nodes: z
    .array(z.object({ id, floorId: id, x: metres, y: metres }))
    .min(1)
    .max(50_000),
  edges: z.array(z.object({ from: id, to: id, kind: z.enum(EDGE_KINDS) })).max(200_000),
  pois: z
    .array(
      z.object({
        id,
        name: z.string().min(1).max(40),
        category: z.enum(POI_CATEGORIES),
        nodeId: id,
        /** Clinic rooms: the HIS code of their department. */
        departmentCode: z.string().max(64).optional(),
        /** Other words patients use for it (化验, 抽血 for the lab). */
        synonyms: z.array(z.string().min(1).max(20)).max(20).default([]),
      }),
    )
    .min(1)
    .max(20_000),
});

export type MapDocument = z.output<typeof mapDocument>;

export interface MapProblem {
  code:
    | 'SCHEMA'
    | 'DUPLICATE_ID'
    | 'UNKNOWN_BUILDING'
    | 'UNKNOWN_FLOOR'
    | 'DANGLING_EDGE'
    | 'UNKNOWN_NODE'
    | 'FLOOR_JOIN'
    | 'UNREACHABLE_POI'
    | 'UNKNOWN_ENTRANCE'
    | 'WRONG_HOSPITAL';
  message: string;
}

/**
 * Checks a map before it is used: shape, unique ids, every reference known,
 * floors joined only by vertical connectors (and buildings only by bridges),
 * no dangling edges, and every POI reachable from the main entrance.
 * Returns the map, or every problem found.
 */
export function validateMap(
  input: unknown,
  /** When given, a map naming another hospital is refused. */
  hospitalCode?: string,
): { map: MapDocument; problems: [] } | { map: null; problems: MapProblem[] } {
  const parsed = mapDocument.safeParse(input);
  if (!parsed.success) {
    return {
      map: null,
      problems: parsed.error.issues.slice(0, 50).map((i) => ({
        code: 'SCHEMA' as const,
        message: `${i.path.join('.') || '(root)'}: ${i.message}`,
      })),
    };
  }
  const map = parsed.data;
  const problems: MapProblem[] = [];
  const add = (code: MapProblem['code'], message: string) => problems.length < 200 && problems.push({ code, message });

  if (hospitalCode && map.hospitalCode !== hospitalCode) {
    add('WRONG_HOSPITAL', `the map is of hospital ${map.hospitalCode}, not ${hospitalCode}`);
  }
  const unique = <T extends { id: string }>(list: T[], what: string) => {
    const byId = new Map<string, T>();
    for (const item of list) {
      if (byId.has(item.id)) add('DUPLICATE_ID', `${what} ${item.id} is listed twice`);
      byId.set(item.id, item);
    }
    return byId;
  };
  const buildings = unique(map.buildings, 'building');
  const floors = unique(map.floors, 'floor');
  const nodes = unique(map.nodes, 'node');
  const pois = unique(map.pois, 'POI');

  for (const f of map.floors) {
    if (!buildings.has(f.buildingId)) add('UNKNOWN_BUILDING', `floor ${f.id} names unknown building ${f.buildingId}`);
  }
  for (const n of map.nodes) {
    if (!floors.has(n.floorId)) add('UNKNOWN_FLOOR', `node ${n.id} names unknown floor ${n.floorId}`);
  }
  const adjacency = new Map<string, string[]>();
  for (const [i, e] of map.edges.entries()) {
    const a = nodes.get(e.from);
    const b = nodes.get(e.to);
    if (!a || !b) {
      add('DANGLING_EDGE', `edge ${i} (${e.from} -> ${e.to}) ends at an unknown node`);
      continue;
    }
    if (a.id === b.id) {
      add('DANGLING_EDGE', `edge ${i} joins node ${a.id} to itself`);
      continue;
    }
    const fa = floors.get(a.floorId);
    const fb = floors.get(b.floorId);
    if (!fa || !fb) continue;
    const sameFloor = fa.id === fb.id;
    const sameBuilding = fa.buildingId === fb.buildingId;
    if (e.kind === 'walk' && !sameFloor) {
      add(
        'FLOOR_JOIN',
        `walk edge ${i} joins floors ${fa.id} and ${fb.id}: floors are joined only by elevators, stairs or escalators`,
      );
      continue;
    }
    if (VERTICAL_KINDS.has(e.kind) && (!sameBuilding || fa.level === fb.level)) {
      add('FLOOR_JOIN', `${e.kind} edge ${i} must join two levels of one building (${fa.id}, ${fb.id})`);
      continue;
    }
    if (e.kind === 'bridge' && (sameBuilding || fa.level !== fb.level)) {
      add('FLOOR_JOIN', `bridge edge ${i} must join the same level of two buildings (${fa.id}, ${fb.id})`);
      continue;
    }
    adjacency.set(a.id, [...(adjacency.get(a.id) ?? []), b.id]);
    adjacency.set(b.id, [...(adjacency.get(b.id) ?? []), a.id]);
  }
  for (const p of map.pois) {
    if (!nodes.has(p.nodeId)) add('UNKNOWN_NODE', `POI ${p.id} (${p.name}) sits on unknown node ${p.nodeId}`);
  }
  const entrance = pois.get(map.entrancePoiId);
  if (!entrance) add('UNKNOWN_ENTRANCE', `entrance POI ${map.entrancePoiId} is not in the map`);
  else if (nodes.has(entrance.nodeId)) {
    const seen = new Set([entrance.nodeId]);
    const todo = [entrance.nodeId];
    while (todo.length) {
      for (const next of adjacency.get(todo.pop()!) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          todo.push(next);
        }
      }
    }
    for (const p of map.pois) {
      if (nodes.has(p.nodeId) && !seen.has(p.nodeId)) {
        add('UNREACHABLE_POI', `POI ${p.id} (${p.name}) cannot be reached from the entrance`);
      }
    }
  }
  return problems.length ? { map: null, problems } : { map, problems: [] };
}
