import { UndirectedGraph } from 'graphology';
import { bidirectional } from 'graphology-shortest-path/dijkstra';
import { VERTICAL_KINDS, type EdgeKind, type MapDocument } from './map-format';

/**
 * What moving costs, in seconds: walking at a patient's pace, waiting for an
 * elevator once and riding it, climbing stairs floor by floor. Routes minimise
 * this time; `distanceMeters` reports the horizontal distance walked.
 */
export const COSTS = {
  walkMetresPerSecond: 1.0,
  elevatorWaitSeconds: 45,
  elevatorSecondsPerFloor: 5,
  stairsSecondsPerFloor: 25,
  escalatorSecondsPerFloor: 20,
};

interface EdgeAttrs {
  kind: EdgeKind;
  cost: number;
  length: number;
}

type Node = MapDocument['nodes'][number];
type Floor = MapDocument['floors'][number];
type Poi = MapDocument['pois'][number];

export interface RouteStep {
  instruction: string;
  distanceMeters: number;
  floor: string;
  poiId?: string;
}

export interface RouteResult {
  distanceMeters: number;
  etaSeconds: number;
  floors: string[];
  steps: RouteStep[];
  path: Array<{ floor: string; x: number; y: number }>;
}

const distance = (a: Node, b: Node) => Math.hypot(a.x - b.x, a.y - b.y);

/** `3 楼`, `地下 1 层`. */
export const levelName = (level: number) => (level > 0 ? `${level} 楼` : `地下 ${-level} 层`);

const RIDE: Record<string, string> = { elevator: '乘电梯', stairs: '走楼梯', escalator: '乘扶梯' };
const REACH: Record<string, string> = { elevator: '电梯', stairs: '楼梯', escalator: '扶梯' };

/** One validated map as two weighted graphs (everything, and elevators only), built once per map version. */
export class NavGraph {
  readonly nodes = new Map<string, Node>();
  readonly floors = new Map<string, Floor>();
  readonly pois = new Map<string, Poi>();
  readonly buildingNames = new Map<string, string>();
  private readonly full = new UndirectedGraph<Record<string, never>, EdgeAttrs>();
  private readonly accessible = new UndirectedGraph<Record<string, never>, EdgeAttrs>();

  constructor(readonly map: MapDocument) {
    for (const b of map.buildings) this.buildingNames.set(b.id, b.name);
    for (const f of map.floors) this.floors.set(f.id, f);
    for (const p of map.pois) this.pois.set(p.id, p);
    for (const n of map.nodes) {
      this.nodes.set(n.id, n);
      this.full.addNode(n.id);
      this.accessible.addNode(n.id);
    }
    for (const e of map.edges) {
      const a = this.nodes.get(e.from)!;
      const b = this.nodes.get(e.to)!;
      const attrs = this.cost(e.kind, a, b);
      this.add(this.full, e.from, e.to, attrs);
      if (e.kind !== 'stairs' && e.kind !== 'escalator') this.add(this.accessible, e.from, e.to, attrs);
    }
  }

  private add(g: UndirectedGraph<Record<string, never>, EdgeAttrs>, a: string, b: string, attrs: EdgeAttrs) {
    // Two edges between the same nodes: the cheaper one is the way people go.
    const existing = g.edge(a, b);
    if (existing === undefined) g.addEdge(a, b, attrs);
    else if (g.getEdgeAttribute(existing, 'cost') > attrs.cost) g.replaceEdgeAttributes(existing, attrs);
  }

  private cost(kind: EdgeKind, a: Node, b: Node): EdgeAttrs {
    if (!VERTICAL_KINDS.has(kind)) {
      const length = distance(a, b);
      return { kind, length, cost: length / COSTS.walkMetresPerSecond };
    }
    const floors = Math.abs(this.floors.get(a.floorId)!.level - this.floors.get(b.floorId)!.level);
    const cost =
      kind === 'elevator'
        ? COSTS.elevatorWaitSeconds + COSTS.elevatorSecondsPerFloor * floors
        : (kind === 'stairs' ? COSTS.stairsSecondsPerFloor : COSTS.escalatorSecondsPerFloor) * floors;
    return { kind, length: 0, cost };
  }

  /** The quickest route between two POIs, or null when there is none (in accessible mode: elevators only). */
  route(fromPoi: Poi, toPoi: Poi, accessible: boolean): RouteResult | null {
    const g = accessible ? this.accessible : this.full;
    const ids =
      fromPoi.nodeId === toPoi.nodeId ? [fromPoi.nodeId] : bidirectional(g, fromPoi.nodeId, toPoi.nodeId, 'cost');
    if (!ids || !ids.length) return null;
    const path = ids.map((id) => this.nodes.get(id)!);
    const edges: EdgeAttrs[] = [];
    for (let i = 1; i < path.length; i++) edges.push(g.getEdgeAttributes(g.edge(path[i - 1].id, path[i].id)!));
    const floors: string[] = [];
    for (const n of path) if (floors[floors.length - 1] !== n.floorId) floors.push(n.floorId);
    const total = edges.reduce((s, e) => s + e.length, 0);
    const eta = edges.reduce((s, e) => s + e.cost, 0);
    return {
      distanceMeters: Math.round(total),
      etaSeconds: Math.round(eta),
      floors: [...new Set(floors)],
      steps: this.instructions(path, edges, fromPoi, toPoi),
      path: path.map((n) => ({ floor: n.floorId, x: n.x, y: n.y })),
    };
  }

  /** Plain Chinese steps: straight stretches ending in a turn, floor changes, bridges, arrival. */
  private instructions(path: Node[], edges: EdgeAttrs[], from: Poi, to: Poi): RouteStep[] {
    const steps: RouteStep[] = [
      { instruction: `从 ${from.name} 出发`, distanceMeters: 0, floor: path[0].floorId, poiId: from.id },
    ];
    let run = 0;
    let runFloor = path[0].floorId;
    const flush = (suffix: string) => {
      const metres = Math.round(run);
      if (metres > 0 || suffix) {
        steps.push({
          instruction: metres > 0 ? `直行 ${metres} 米${suffix ? `后${suffix}` : ''}` : suffix,
          distanceMeters: metres,
          floor: runFloor,
        });
      }
      run = 0;
    };
    let i = 0;
    while (i < edges.length) {
      const e = edges[i];
      if (VERTICAL_KINDS.has(e.kind)) {
        // Consecutive moves of one kind are one ride or one climb.
        let j = i;
        while (j + 1 < edges.length && edges[j + 1].kind === e.kind) j++;
        if (run > 0) flush(`到达${REACH[e.kind]}`);
        const target = this.floors.get(path[j + 1].floorId)!;
        steps.push({
          instruction: `${RIDE[e.kind]}到 ${levelName(target.level)}`,
          distanceMeters: 0,
          floor: target.id,
        });
        runFloor = target.id;
        i = j + 1;
        continue;
      }
      if (e.kind === 'bridge') {
        flush('');
        const target = this.floors.get(path[i + 1].floorId)!;
        steps.push({
          instruction: `经连廊步行 ${Math.round(e.length)} 米到 ${this.buildingNames.get(target.buildingId)}`,
          distanceMeters: Math.round(e.length),
          floor: target.id,
        });
        runFloor = target.id;
        i++;
        continue;
      }
      run += e.length;
      runFloor = path[i + 1].floorId;
      const next = edges[i + 1];
      if (next && next.kind === 'walk') {
        const turn = turnAt(path[i], path[i + 1], path[i + 2]);
        if (turn) flush(turn);
      }
      i++;
    }
    flush('');
    const last = path[path.length - 1];
    steps.push({ instruction: `到达 ${to.name}`, distanceMeters: 0, floor: last.floorId, poiId: to.id });
    return steps;
  }
}

/** The turn at `b` going a -> b -> c (y points south, so a positive cross product turns right). */
function turnAt(a: Node, b: Node, c: Node): string | null {
  const [ux, uy, vx, vy] = [b.x - a.x, b.y - a.y, c.x - b.x, c.y - b.y];
  if (!(ux || uy) || !(vx || vy)) return null;
  const angle = (Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy) * 180) / Math.PI;
  if (Math.abs(angle) < 30) return null;
  if (Math.abs(angle) > 150) return '掉头';
  return angle > 0 ? '右转' : '左转';
}
