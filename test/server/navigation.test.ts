import axios from 'axios';
import { validateMap } from '../../server/src/modules/navigation/map-format';
import { HospitalMap } from '../../server/src/modules/navigation/models';
import { generateHospitals } from '../../server/sim/his/catalog';
import { generateMap } from '../../server/sim/his/map';
import { smallMap } from '../support/nav-map';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
const demo = generateHospitals();
// A hospital with 心内科 (D10) in its catalog carries the small map; another keeps its generated one.
const small = demo.find((h) => h.departments.some((d) => d.code === 'D10'))!;
const big = demo.find((h) => h !== small)!;
const ids: Record<string, string> = {};

const sim = () => axios.create({ baseURL: p.sims.his.url });
const setMap = (code: string, map: unknown) => sim().put(`/__sim/hospitals/${code}/map`, { map });
/** Requests a hospital's HIS has answered so far, counted by the simulator. */
const hisRequests = async (code: string) =>
  ((await sim().get('/__sim/hospitals')).data.items as Array<{ code: string; requests: number }>).find(
    (x) => x.code === code,
  )!.requests;

beforeAll(async () => {
  p = await startTestPlatform();
  const all = (await p.api.get('/api/v1/hospitals?pageSize=100')).body.items as Array<{ id: string; name: string }>;
  for (const h of demo) ids[h.profile.code] = all.find((x) => x.name === h.profile.name)!.id;
  await setMap(small.profile.code, smallMap(small.profile.code));
  // The catalog first, so clinic POIs link to department ids.
  await p.api.get(`/api/v1/hospitals/${ids[small.profile.code]}/departments`).expect(200);
  await p.api.get(`/api/v1/hospitals/${ids[big.profile.code]}/departments`).expect(200);
});
afterAll(() => p.close());

const route = (code: string, query: Record<string, string>) =>
  p.api.get(`/api/v1/hospitals/${ids[code]}/route`).query(query);
const instructions = (body: { steps: Array<{ instruction: string }> }) => body.steps.map((s) => s.instruction);

describe('routes on the small map, against hand-computed shortest paths', () => {
  const code = () => small.profile.code;

  it('cross-floor: stairs beat waiting for the elevator (40 m + 25 s + 20 m = 85 s)', async () => {
    const res = await route(code(), { to: 'P-card' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ distanceMeters: 60, etaSeconds: 85, floors: ['A1', 'A2'], accessible: false });
    expect(res.body.from.id).toBe('P-gate');
    expect(res.body.to).toMatchObject({ id: 'P-card', floorId: 'A2', place: '门诊楼 2 楼' });
    expect(instructions(res.body)).toEqual([
      '从 门诊楼正门 出发',
      '直行 40 米后到达楼梯',
      '走楼梯到 2 楼',
      '直行 20 米',
      '到达 心内科 3 诊室',
    ]);
    expect(res.body.path).toEqual([
      { floor: 'A1', x: 0, y: 0 },
      { floor: 'A1', x: 20, y: 0 },
      { floor: 'A1', x: 40, y: 0 },
      { floor: 'A2', x: 40, y: 0 },
      { floor: 'A2', x: 40, y: 20 },
    ]);
    expect(res.body.steps.at(-1)).toMatchObject({ poiId: 'P-card', floor: 'A2' });
  });

  it('accessible mode takes the elevator (30 m + 45 + 5 s + 50 m = 130 s) with turns', async () => {
    const res = await route(code(), { to: 'P-card', accessible: 'true' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ distanceMeters: 80, etaSeconds: 130, floors: ['A1', 'A2'], accessible: true });
    expect(instructions(res.body)).toEqual([
      '从 门诊楼正门 出发',
      '直行 20 米后右转',
      '直行 10 米后到达电梯',
      '乘电梯到 2 楼',
      '直行 10 米后右转',
      '直行 20 米后右转',
      '直行 20 米',
      '到达 心内科 3 诊室',
    ]);
  });

  it('cross-building from a chosen start: down the stairs and over the bridge (105 s, 80 m)', async () => {
    const res = await route(code(), { from: 'P-card', to: 'P-lab' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ distanceMeters: 80, etaSeconds: 105, floors: ['A2', 'A1', 'B1'] });
    expect(instructions(res.body)).toEqual([
      '从 心内科 3 诊室 出发',
      '直行 20 米后到达楼梯',
      '走楼梯到 1 楼',
      '直行 20 米',
      '经连廊步行 20 米到 医技楼',
      '直行 20 米',
      '到达 检验科',
    ]);
  });

  it('two flights of stairs are one instruction', async () => {
    const res = await route(code(), { to: 'P-rehab' });
    expect(res.body).toMatchObject({ distanceMeters: 50, etaSeconds: 100, floors: ['A1', 'A2', 'A3'] });
    expect(instructions(res.body)).toContain('走楼梯到 3 楼');
  });

  it('a place reached only by stairs has no accessible route: 422 NO_ROUTE', async () => {
    const res = await route(code(), { to: 'P-rehab', accessible: 'true' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('NO_ROUTE');
    expect(res.body.error.message).toContain('无障碍');
  });

  it('an unknown POI is 404, a route to where you stand is arrival, bad input is 422', async () => {
    expect((await route(code(), { to: 'P-nowhere' })).status).toBe(404);
    const unknownFrom = await route(code(), { from: 'P-nowhere', to: 'P-lab' });
    expect(unknownFrom.status).toBe(404);
    expect(unknownFrom.body.error.code).toBe('NOT_FOUND');
    const here = await route(code(), { from: 'P-lab', to: 'P-lab' });
    expect(here.body).toMatchObject({ distanceMeters: 0, etaSeconds: 0 });
    expect(instructions(here.body).at(-1)).toBe('到达 检验科');
    const bad = await route(code(), { from: 'P-lab' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect((await route(code(), { to: 'P-lab', accessible: 'maybe' })).status).toBe(422);
    expect((await p.api.get('/api/v1/hospitals/hsp_nope/route?to=P-lab')).status).toBe(404);
  });

  it('searches POIs by name, synonym and department, and links clinics to the catalog', async () => {
    const search = async (q: Record<string, string>) =>
      (await p.api.get(`/api/v1/hospitals/${ids[code()]}/pois`).query(q).expect(200)).body.items as Array<{
        id: string;
        departmentId: string | null;
      }>;
    for (const word of ['抽血', '化验', '检验科']) expect((await search({ q: word }))[0].id).toBe('P-lab');
    expect((await search({ q: '心内' }))[0].id).toBe('P-card');
    const deps = (await p.api.get(`/api/v1/hospitals/${ids[code()]}/departments?pageSize=100`)).body.items as Array<{
      id: string;
      name: string;
    }>;
    const cardiology = deps.find((d) => d.name === '心内科')!;
    const byDept = await search({ departmentId: cardiology.id });
    expect(byDept.map((x) => x.id)).toEqual(['P-card']);
    expect(byDept[0].departmentId).toBe(cardiology.id);
    expect(await search({ q: '不存在的地方' })).toEqual([]);
    const empty = await p.api.get(`/api/v1/hospitals/${ids[code()]}/pois`);
    expect(empty.status).toBe(422);
  });
});

describe('the map document', () => {
  it('is served with an ETag and Cache-Control, and 304 when unchanged', async () => {
    const url = `/api/v1/hospitals/${ids[small.profile.code]}/map`;
    const res = await p.api.get(url);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toContain('max-age');
    const etag = res.headers.etag;
    expect(etag).toMatch(/^".+"$/);
    expect(res.body.buildings.map((b: { name: string }) => b.name)).toEqual(['门诊楼', '医技楼']);
    expect(res.body.floors.map((f: { id: string }) => f.id)).toEqual(['A1', 'A2', 'A3', 'B1']);
    expect(res.body.geometry.find((g: { floorId: string }) => g.floorId === 'A1').corridors).toContainEqual([
      0, 0, 20, 0,
    ]);
    const again = await p.api.get(url).set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
    expect((await p.api.get(url).set('If-None-Match', '"other"')).status).toBe(200);
  });

  it('a broken map is refused with its problems and the old one stays', async () => {
    const code = small.profile.code;
    const hospitalId = ids[code];
    const before = (await p.api.get(`/api/v1/hospitals/${hospitalId}/map`)).body.version;
    const broken = smallMap(code);
    broken.edges.push({ from: 'j1', to: 'ghost', kind: 'walk' });
    await setMap(code, broken);
    const result = await p.services.navigation.syncMap(hospitalId);
    expect(result).toEqual({ accepted: false, problems: [expect.objectContaining({ code: 'DANGLING_EDGE' })] });
    const row = await HospitalMap.findByPk(hospitalId);
    expect(JSON.parse(row!.rejectedProblems!)[0].code).toBe('DANGLING_EDGE');
    const after = await p.api.get(`/api/v1/hospitals/${hospitalId}/map`);
    expect(after.body.version).toBe(before);
    expect((await route(code, { to: 'P-card' })).body.etaSeconds).toBe(85);

    // A valid change is taken, with a new version and ETag.
    const moved = smallMap(code);
    moved.nodes.find((n) => n.id === 'c2')!.y = 30;
    await setMap(code, moved);
    expect(await p.services.navigation.syncMap(hospitalId)).toMatchObject({ accepted: true, changed: true });
    const next = await p.api.get(`/api/v1/hospitals/${hospitalId}/map`);
    expect(next.body.version).toBe(before + 1);
    expect(next.headers.etag).not.toBe(after.headers.etag);
    expect((await route(code, { to: 'P-card' })).body.etaSeconds).toBe(95);
    await setMap(code, smallMap(code));
    await p.services.navigation.syncMap(hospitalId);
  });

  it('patients arriving together at a hospital without a map yet cause one fetch from its HIS', async () => {
    const fresh = demo.filter((h) => h !== small && h !== big)[2];
    const requests = () => hisRequests(fresh.profile.code);
    const before = await requests();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => p.api.get(`/api/v1/hospitals/${ids[fresh.profile.code]}/pois?q=抽血`)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers[0].body.items[0].category).toBe('lab');
    expect((await requests()) - before).toBe(1);
  });

  it('a hospital that never had a valid map answers 404 MAP_NOT_AVAILABLE', async () => {
    const other = demo.find((h) => h !== small && h !== big)!;
    await setMap(other.profile.code, { format: 1, floors: [] });
    const res = await p.api.get(`/api/v1/hospitals/${ids[other.profile.code]}/pois?q=电梯`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('MAP_NOT_AVAILABLE');
    // The refusal is remembered: anonymous requests do not make the platform ask the hospital again and again.
    const requests = () => hisRequests(other.profile.code);
    const before = await requests();
    for (let i = 0; i < 3; i++) {
      const again = await p.api.get(`/api/v1/hospitals/${ids[other.profile.code]}/map`);
      expect(again.body.error.code).toBe('MAP_NOT_AVAILABLE');
    }
    expect((await requests()) - before).toBe(0);
  });

  it('a hospital whose HIS is down and has no map yet answers 503', async () => {
    const other = demo.filter((h) => h !== small && h !== big)[1];
    await p.setFaults(other.profile.code, { down: true });
    const res = await p.api.get(`/api/v1/hospitals/${ids[other.profile.code]}/map`);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('HIS_UNAVAILABLE');
    await p.setFaults(other.profile.code, { down: false });
  });
});

describe('map validation refuses each kind of broken map', () => {
  const base = () => smallMap('SH001');
  const codes = (doc: unknown) => validateMap(doc).problems.map((x) => x.code);

  it('accepts the small map and every generated demo map', () => {
    expect(validateMap(base()).problems).toEqual([]);
    for (const h of demo) expect(validateMap(generateMap(h)).problems).toEqual([]);
  });

  it('refuses a document of the wrong shape', () => {
    expect(codes({ format: 1 })).toContain('SCHEMA');
    const m = base();
    (m.edges[0] as { kind: string }).kind = 'teleport';
    expect(codes(m)).toEqual(['SCHEMA']);
  });

  it('refuses duplicate ids', () => {
    const m = base();
    m.nodes.push({ ...m.nodes[0] });
    expect(codes(m)).toEqual(['DUPLICATE_ID']);
  });

  it('refuses dangling edges and edges to themselves', () => {
    const m = base();
    m.edges.push({ from: 'gate', to: 'nowhere', kind: 'walk' }, { from: 'j1', to: 'j1', kind: 'walk' });
    expect(codes(m)).toEqual(['DANGLING_EDGE', 'DANGLING_EDGE']);
  });

  it('refuses floors joined by anything but a vertical connector, and buildings by anything but a bridge', () => {
    const walkAcross = base();
    walkAcross.edges.push({ from: 'j1', to: 'j2', kind: 'walk' });
    expect(codes(walkAcross)).toEqual(['FLOOR_JOIN']);
    const stairsBetweenBuildings = base();
    stairsBetweenBuildings.edges.push({ from: 's2', to: 'b0', kind: 'stairs' });
    expect(codes(stairsBetweenBuildings)).toEqual(['FLOOR_JOIN']);
    const elevatorOnOneFloor = base();
    elevatorOnOneFloor.edges.push({ from: 'gate', to: 'k1', kind: 'elevator' });
    expect(codes(elevatorOnOneFloor)).toEqual(['FLOOR_JOIN']);
    const bridgeInOneBuilding = base();
    bridgeInOneBuilding.edges.push({ from: 'gate', to: 'k1', kind: 'bridge' });
    expect(codes(bridgeInOneBuilding)).toEqual(['FLOOR_JOIN']);
  });

  it('refuses a POI nobody can reach from the entrance', () => {
    const m = base();
    m.edges = m.edges.filter((e) => e.kind !== 'bridge');
    const problems = validateMap(m).problems;
    expect(problems.map((x) => x.code)).toEqual(['UNREACHABLE_POI']);
    expect(problems[0].message).toContain('P-lab');
  });

  it("refuses another hospital's map", () => {
    expect(validateMap(base(), 'SH001').problems).toEqual([]);
    expect(validateMap(base(), 'SH002').problems.map((x) => x.code)).toEqual(['WRONG_HOSPITAL']);
  });

  it('refuses unknown floors, buildings, nodes and entrance', () => {
    const m = base();
    m.nodes.push({ id: 'lost', floorId: 'Z9', x: 0, y: 0 });
    m.floors.push({ ...m.floors[0], id: 'X1', buildingId: 'X' });
    m.pois.push({ id: 'P-x', name: '无处', category: 'toilet', nodeId: 'missing', synonyms: [] } as never);
    m.entrancePoiId = 'P-none';
    expect(codes(m).sort()).toEqual(['UNKNOWN_BUILDING', 'UNKNOWN_ENTRANCE', 'UNKNOWN_FLOOR', 'UNKNOWN_NODE']);
  });
});

describe('the generated demo maps', () => {
  it('has hundreds of nodes, several buildings and floors, and clinic POIs for every catalog department', async () => {
    const code = big.profile.code;
    const res = await p.api.get(`/api/v1/hospitals/${ids[code]}/map`).expect(200);
    expect(res.body.buildings).toHaveLength(3);
    expect(res.body.floors.length).toBeGreaterThanOrEqual(15);
    const row = await HospitalMap.findByPk(ids[code]);
    expect(row!.nodeCount).toBeGreaterThan(300);
    const deps = (await p.api.get(`/api/v1/hospitals/${ids[code]}/departments?pageSize=100`)).body.items as Array<{
      id: string;
    }>;
    const linked = new Set(res.body.pois.map((x: { departmentId: string | null }) => x.departmentId));
    for (const d of deps) expect(linked).toContain(d.id);
    const clinic = res.body.pois.find(
      (x: { category: string; floorId: string }) => x.category === 'clinic' && x.floorId !== 'OPD-1F',
    );
    const r = await route(code, { to: clinic.id, accessible: 'true' });
    expect(r.status).toBe(200);
    expect(r.body.floors[0]).toBe('OPD-1F');
    expect(r.body.floors.at(-1)).toBe(clinic.floorId);
    expect(instructions(r.body)).toContain(`乘电梯到 ${clinic.floorId.split('-')[1].replace('F', '')} 楼`);
    const lab = (await p.api.get(`/api/v1/hospitals/${ids[code]}/pois?q=抽血`)).body.items[0];
    expect(lab.category).toBe('lab');
  });
});
