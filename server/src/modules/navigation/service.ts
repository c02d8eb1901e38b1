import { createHash } from 'node:crypto';
import type { Db } from '../../db';
import { AppError, notFound } from '../../http/errors';
import { HisUnavailableError, type HisClient } from '../../his/types';
import type { Logger } from '../../logger';
import type { PiiCipher } from '../../privacy/cipher';
import { Department, Hospital } from '../hospitals/models';
import { hisUnavailable } from '../hospitals/service';
import { targetOf } from '../hospitals/sync';
import { NavGraph, levelName } from './graph';
import { validateMap, type MapDocument, type MapProblem, type PoiCategory } from './map-format';
import { HospitalMap } from './models';
import type { HospitalMapDto, PoiDto, RouteDto } from './schemas';

export interface NavigationDeps {
  db: Db;
  his: HisClient;
  cipher: PiiCipher;
  log: Logger;
  /** How old a fetched map may get before it is fetched again (in the background). */
  mapTtlMs: number;
}

/** How long a process trusts its cached map before checking the database for a newer one (another process's import). */
const CHECK_MS = 5000;

interface SearchEntry {
  poi: PoiDto;
  name: string;
  synonyms: string[];
  department: string;
}

/** One map version, ready to serve: the graphs, the POIs with their departments, the drawn map and its ETag. */
interface Built {
  key: string;
  version: number;
  graph: NavGraph;
  pois: Map<string, PoiDto>;
  search: SearchEntry[];
  entrancePoiId: string;
  map: HospitalMapDto;
  etag: string;
  /** Recent answers by `from/to/accessible` (null: no route), oldest first; a new map version starts afresh. */
  routes: Map<string, RouteDto | null>;
}

/** Routes kept per map version: patients of one hospital ask for the same few destinations all day. */
const ROUTE_CACHE = 5000;

interface CacheEntry {
  built: Built;
  checkedAt: number;
  fetchedAt: Date | null;
  hospital: Hospital;
}

export type MapImportResult =
  { accepted: true; version: number; changed: boolean } | { accepted: false; problems: MapProblem[] };

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, '');

export class NavigationService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly fetches = new Map<string, Promise<MapImportResult>>();

  constructor(private readonly deps: NavigationDeps) {}

  async getMap(hospitalId: string): Promise<{ map: HospitalMapDto; etag: string }> {
    const b = await this.load(hospitalId);
    return { map: b.map, etag: b.etag };
  }

  async searchPois(
    hospitalId: string,
    q: { q?: string; departmentId?: string; category?: PoiCategory; limit: number },
  ): Promise<{ items: PoiDto[] }> {
    const b = await this.load(hospitalId);
    const word = q.q ? norm(q.q) : '';
    const scored: Array<{ poi: PoiDto; score: number }> = [];
    for (const e of b.search) {
      if (q.departmentId && e.poi.departmentId !== q.departmentId) continue;
      if (q.category && e.poi.category !== q.category) continue;
      const score = word ? scoreOf(e, word) : 1;
      if (score > 0) scored.push({ poi: e.poi, score });
    }
    scored.sort((a, z) => z.score - a.score || a.poi.name.localeCompare(z.poi.name, 'zh-Hans-CN'));
    return { items: scored.slice(0, q.limit).map((s) => s.poi) };
  }

  async route(hospitalId: string, q: { from?: string; to: string; accessible: boolean }): Promise<RouteDto> {
    const b = await this.load(hospitalId);
    const from = b.graph.pois.get(q.from ?? b.entrancePoiId);
    const to = b.graph.pois.get(q.to);
    if (!from) throw notFound('起点');
    if (!to) throw notFound('目的地');
    const key = `${from.id}/${to.id}/${q.accessible ? 1 : 0}`;
    let found = b.routes.get(key);
    if (found === undefined) {
      const r = b.graph.route(from, to, q.accessible);
      found = r && { from: b.pois.get(from.id)!, to: b.pois.get(to.id)!, accessible: q.accessible, ...r };
      if (b.routes.size >= ROUTE_CACHE) b.routes.delete(b.routes.keys().next().value!);
      b.routes.set(key, found);
    }
    if (!found) {
      throw new AppError(
        422,
        'NO_ROUTE',
        q.accessible
          ? `没有只乘电梯的无障碍路线可以到达${to.name}，请联系导诊台协助`
          : `无法从${from.name}到达${to.name}`,
        { accessible: q.accessible },
      );
    }
    return found;
  }

  /**
   * Fetches the hospital's map from its HIS and keeps it if it is valid; a
   * broken map is refused with its problems and the one in use stays.
   */
  syncMap(hospitalId: string): Promise<MapImportResult> {
    // One fetch per hospital at a time; callers arriving meanwhile share its result.
    let running = this.fetches.get(hospitalId);
    if (!running) {
      running = this.fetchAndStore(hospitalId).finally(() => this.fetches.delete(hospitalId));
      this.fetches.set(hospitalId, running);
    }
    return running;
  }

  /** Waits for the running fetches (shutdown). */
  async stop(): Promise<void> {
    while (this.fetches.size) await Promise.allSettled([...this.fetches.values()]);
  }

  private async fetchAndStore(hospitalId: string): Promise<MapImportResult> {
    const h = await Hospital.findByPk(hospitalId);
    if (!h) throw notFound('医院');
    const doc = await this.deps.his.getMap(targetOf(h, this.deps.cipher));
    const hash = createHash('sha256').update(JSON.stringify(doc)).digest('hex');
    // Validated before the write transaction (the one bookings share), which then only stores the outcome.
    const checked = validateMap(doc, h.code);
    const outcome = await this.deps.db.write(async (transaction) => {
      const now = new Date();
      const row =
        (await HospitalMap.findByPk(h.id, { transaction })) ?? HospitalMap.build({ hospitalId: h.id, version: 0 });
      if (row.hash === hash) {
        await row.update({ fetchedAt: now }, { transaction });
        return { accepted: true as const, version: row.version, changed: false };
      }
      if (!checked.map) {
        row.set({ fetchedAt: now, rejectedAt: now, rejectedProblems: JSON.stringify(checked.problems) });
        await row.save({ transaction });
        return { accepted: false as const, problems: checked.problems };
      }
      row.set({
        version: row.version + 1,
        hash,
        document: JSON.stringify(checked.map),
        nodeCount: checked.map.nodes.length,
        poiCount: checked.map.pois.length,
        fetchedAt: now,
        rejectedAt: null,
        rejectedProblems: null,
      });
      await row.save({ transaction });
      return { accepted: true as const, version: row.version, changed: true };
    });
    if (!outcome.accepted) {
      this.deps.log.warn(
        {
          hospital: h.code,
          problems: outcome.problems.length,
          codes: [...new Set(outcome.problems.map((p) => p.code))],
        },
        'indoor map refused: the one in use stays',
      );
    }
    this.cache.delete(h.id);
    return outcome;
  }

  /** The built map of a hospital: from memory, rebuilt only when its version or the department catalog changed. */
  private async load(hospitalId: string): Promise<Built> {
    const cached = this.cache.get(hospitalId);
    if (cached && Date.now() - cached.checkedAt < CHECK_MS) {
      this.refreshIfStale(cached.hospital, cached.fetchedAt);
      return cached.built;
    }
    const h = await Hospital.findByPk(hospitalId);
    if (!h) throw notFound('医院');
    let row = await HospitalMap.findByPk(h.id);
    const unavailable = () => new AppError(404, 'MAP_NOT_AVAILABLE', `${h.name}暂未提供院内地图`);
    // A hospital whose map was refused (or empty) is asked again once per TTL, not on every public request.
    if (!row?.document && row?.fetchedAt && Date.now() - row.fetchedAt.getTime() < this.deps.mapTtlMs) {
      throw unavailable();
    }
    if (!row?.document) {
      try {
        await this.syncMap(h.id);
      } catch (err) {
        throw err instanceof HisUnavailableError ? hisUnavailable(h) : err;
      }
      row = await HospitalMap.findByPk(h.id);
      if (!row?.document) throw unavailable();
    } else {
      this.refreshIfStale(h, row.fetchedAt);
    }
    const key = `${row.hash}/${h.catalogSyncedAt?.getTime() ?? 0}`;
    const built = cached?.built.key === key ? cached.built : await this.build(h, row, key);
    this.cache.set(h.id, { built, checkedAt: Date.now(), fetchedAt: row.fetchedAt, hospital: h });
    return built;
  }

  private refreshIfStale(h: Hospital, fetchedAt: Date | null) {
    if (fetchedAt && Date.now() - fetchedAt.getTime() > this.deps.mapTtlMs) {
      this.syncMap(h.id).catch((err: Error) =>
        this.deps.log.warn({ hospital: h.code, err: err.message }, 'indoor map refresh failed'),
      );
    }
  }

  private async build(h: Hospital, row: HospitalMap, key: string): Promise<Built> {
    const checked = validateMap(JSON.parse(row.document!));
    if (!checked.map) {
      // Stored maps were validated on import; one that no longer is (a stricter format) is not shown, and is fetched again.
      this.deps.log.warn({ hospital: h.code }, 'stored indoor map no longer validates');
      this.syncMap(h.id).catch(() => undefined);
      throw new AppError(404, 'MAP_NOT_AVAILABLE', `${h.name}暂未提供院内地图`);
    }
    const map: MapDocument = checked.map;
    const graph = new NavGraph(map);
    const departments = await Department.findAll({ where: { hospitalId: h.id, active: true } });
    const depByCode = new Map(departments.map((d) => [d.hisCode, d]));
    const pois = new Map<string, PoiDto>();
    const search: SearchEntry[] = [];
    for (const p of map.pois) {
      const node = graph.nodes.get(p.nodeId)!;
      const floor = graph.floors.get(node.floorId)!;
      const dep = p.departmentCode ? depByCode.get(p.departmentCode) : undefined;
      const dto: PoiDto = {
        id: p.id,
        name: p.name,
        category: p.category,
        floorId: floor.id,
        buildingId: floor.buildingId,
        place: `${graph.buildingNames.get(floor.buildingId)} ${levelName(floor.level)}`,
        x: node.x,
        y: node.y,
        departmentId: dep?.id ?? null,
      };
      pois.set(p.id, dto);
      search.push({
        poi: dto,
        name: norm(p.name),
        synonyms: p.synonyms.map(norm),
        department: dep ? norm(dep.name) : '',
      });
    }
    const corridors = new Map<string, number[][]>(map.floors.map((f) => [f.id, []]));
    for (const e of map.edges) {
      if (e.kind !== 'walk') continue;
      const a = graph.nodes.get(e.from)!;
      const b = graph.nodes.get(e.to)!;
      corridors.get(a.floorId)!.push([a.x, a.y, b.x, b.y]);
    }
    // Floors in the map's order of buildings (the main building first), then bottom up.
    const buildingOrder = new Map(map.buildings.map((b, i) => [b.id, i]));
    const dto: HospitalMapDto = {
      hospitalId: h.id,
      version: row.version,
      entrancePoiId: map.entrancePoiId,
      buildings: map.buildings,
      floors: [...map.floors]
        .sort((a, b) => buildingOrder.get(a.buildingId)! - buildingOrder.get(b.buildingId)! || a.level - b.level)
        .map(({ id, buildingId, level, name, bounds }) => ({ id, buildingId, level, name, bounds })),
      pois: [...pois.values()],
      geometry: map.floors.map((f) => ({ floorId: f.id, areas: f.areas, corridors: corridors.get(f.id)! })),
    };
    const etag = `"${createHash('sha256').update(JSON.stringify(dto)).digest('base64url').slice(0, 27)}"`;
    return {
      key,
      version: row.version,
      graph,
      pois,
      search,
      entrancePoiId: map.entrancePoiId,
      map: dto,
      etag,
      routes: new Map(),
    };
  }
}

/** Exact name first, then names starting with or containing the words, then synonyms (化验 -> 检验科), then the department. */
function scoreOf(e: SearchEntry, word: string): number {
  if (e.name === word) return 100;
  if (e.name.startsWith(word)) return 80;
  if (e.name.includes(word)) return 60;
  if (e.synonyms.some((s) => s === word)) return 70;
  if (e.synonyms.some((s) => s.includes(word) || word.includes(s))) return 45;
  if (e.department && (e.department.includes(word) || word.includes(e.department))) return 30;
  return 0;
}
