import type { SimHospital } from './catalog';
import { prng } from './catalog';

/**
 * A deterministic indoor map for a demo hospital (docs/navigation-map.md):
 * 门诊楼 (six floors, clinic rooms of every department on the floor its
 * catalog location names), 医技楼 (lab, imaging) and 住院楼 (wards), joined
 * by ground-floor and first-floor bridges; elevators and stairs in every
 * building, escalators in the outpatient hall. About 450-550 nodes.
 */

interface Doc {
  format: 1;
  hospitalCode: string;
  entrancePoiId: string;
  buildings: Array<{ id: string; name: string }>;
  floors: Array<{
    id: string;
    buildingId: string;
    level: number;
    name: string;
    bounds: { x: number; y: number; width: number; height: number };
    areas: Array<{
      x: number;
      y: number;
      width: number;
      height: number;
      kind: 'room' | 'hall' | 'core';
      label?: string;
    }>;
  }>;
  nodes: Array<{ id: string; floorId: string; x: number; y: number }>;
  edges: Array<{ from: string; to: string; kind: 'walk' | 'bridge' | 'elevator' | 'stairs' | 'escalator' }>;
  pois: Array<{
    id: string;
    name: string;
    category: string;
    nodeId: string;
    departmentCode?: string;
    synonyms: string[];
  }>;
}

const ROOM = 8; // room width along the corridor, metres
const DEPTH = 10; // room depth
const CORRIDOR = 4;

interface BuildingPlan {
  id: string;
  name: string;
  x: number;
  y: number;
  rooms: number; // rooms per side
  levels: number[];
}

interface Slot {
  node: string;
  area: Doc['floors'][number]['areas'][number];
}

const SYN = {
  lab: ['化验', '抽血', '检验科', '采血', '验血'],
  imaging: ['拍片', '放射科', 'CT', 'X光', '影像'],
  ultrasound: ['B超', '彩超', '超声'],
  pharmacy: ['取药', '药房', '西药房'],
  registration: ['挂号', '收费', '缴费', '退费'],
  toilet: ['厕所', '洗手间', '卫生间'],
};

export function generateMap(h: SimHospital, seed = 20261126): Doc {
  const code = h.profile.code;
  const r = prng(seed + Number(code.slice(2)) * 104729);
  const plans: BuildingPlan[] = [
    { id: 'OPD', name: '门诊楼', x: 0, y: 0, rooms: 10, levels: [1, 2, 3, 4, 5, 6] },
    { id: 'MTB', name: '医技楼', x: 100, y: 0, rooms: 6, levels: [1, 2, 3, 4] },
    {
      id: 'IPD',
      name: '住院楼',
      x: 0,
      y: 2 * DEPTH + CORRIDOR + 26,
      rooms: 8,
      levels: Array.from({ length: r.int(5, 9) }, (_, i) => i + 1),
    },
  ];
  const doc: Doc = {
    format: 1,
    hospitalCode: code,
    entrancePoiId: '',
    buildings: [],
    floors: [],
    nodes: [],
    edges: [],
    pois: [],
  };
  const free = new Map<string, Slot[]>(); // floor id -> free room slots, in order
  const corridorAt = new Map<string, string[]>(); // floor id -> corridor node ids, west to east
  const floorId = (b: string, level: number) => `${b}-${level}F`;
  const node = (id: string, floor: string, x: number, y: number) => doc.nodes.push({ id, floorId: floor, x, y });
  const walk = (from: string, to: string, kind: Doc['edges'][number]['kind'] = 'walk') =>
    doc.edges.push({ from, to, kind });
  let poiSeq = 0;
  const poi = (name: string, category: string, nodeId: string, synonyms: string[] = [], departmentCode?: string) => {
    const id = `P${String(++poiSeq).padStart(4, '0')}`;
    doc.pois.push({ id, name, category, nodeId, synonyms, ...(departmentCode ? { departmentCode } : {}) });
    return id;
  };

  for (const b of plans) {
    doc.buildings.push({ id: b.id, name: b.name });
    const width = b.rooms * ROOM + 2 * ROOM; // a core bay at each end
    const midY = b.y + DEPTH + CORRIDOR / 2;
    for (const level of b.levels) {
      const f = floorId(b.id, level);
      const areas: Doc['floors'][number]['areas'] = [
        { x: b.x, y: b.y + DEPTH, width, height: CORRIDOR, kind: 'hall' },
        { x: b.x, y: b.y, width: ROOM, height: DEPTH, kind: 'core', label: '电梯' },
        { x: b.x + width - ROOM, y: b.y, width: ROOM, height: DEPTH, kind: 'core', label: '楼梯' },
      ];
      const corridor: string[] = [];
      for (let i = 0; i <= b.rooms + 1; i++) {
        const id = `${f}-c${i}`;
        node(id, f, b.x + ROOM / 2 + i * ROOM, midY);
        if (i) walk(corridor[i - 1], id);
        corridor.push(id);
      }
      corridorAt.set(f, corridor);
      // Elevator lobby (west end, north side) and stairwell (east end, north side).
      node(`${f}-elev`, f, b.x + ROOM / 2, b.y + DEPTH - 2);
      walk(`${f}-elev`, corridor[0]);
      node(`${f}-stairs`, f, b.x + width - ROOM / 2, b.y + DEPTH - 2);
      walk(`${f}-stairs`, corridor[corridor.length - 1]);
      poi(`${b.name}${level}楼 电梯`, 'elevator', `${f}-elev`, ['电梯', '直梯']);
      poi(`${b.name}${level}楼 楼梯`, 'stairs', `${f}-stairs`, ['楼梯']);
      const slots: Slot[] = [];
      for (let i = 1; i <= b.rooms; i++) {
        for (const side of ['n', 's'] as const) {
          const id = `${f}-r${i}${side}`;
          const x = b.x + ROOM / 2 + i * ROOM;
          node(id, f, x, side === 'n' ? b.y + DEPTH - 1 : b.y + DEPTH + CORRIDOR + 1);
          walk(id, corridor[i]);
          const area = {
            x: x - ROOM / 2,
            y: side === 'n' ? b.y : b.y + DEPTH + CORRIDOR,
            width: ROOM,
            height: DEPTH,
            kind: 'room' as const,
          };
          areas.push(area);
          slots.push({ node: id, area });
        }
      }
      // Every floor: a toilet in the first south room.
      const wc = slots.splice(1, 1)[0];
      wc.area.label = '卫生间';
      poi(`${b.name}${level}楼 卫生间`, 'toilet', wc.node, SYN.toilet);
      free.set(f, slots);
      doc.floors.push({
        id: f,
        buildingId: b.id,
        level,
        name: `${level}F`,
        bounds: { x: b.x, y: b.y, width, height: 2 * DEPTH + CORRIDOR },
        areas,
      });
    }
    // Elevators: one ride between any two levels; stairs: level by level.
    for (let i = 0; i < b.levels.length; i++) {
      for (let j = i + 1; j < b.levels.length; j++) {
        walk(`${floorId(b.id, b.levels[i])}-elev`, `${floorId(b.id, b.levels[j])}-elev`, 'elevator');
      }
      if (i) walk(`${floorId(b.id, b.levels[i - 1])}-stairs`, `${floorId(b.id, b.levels[i])}-stairs`, 'stairs');
    }
  }

  const take = (f: string, label: string) => {
    const slot = free.get(f)!.shift();
    if (!slot) return null;
    slot.area.label = label;
    return slot.node;
  };
  const place = (f: string, name: string, category: string, synonyms: string[] = [], label = name) => {
    const n = take(f, label);
    return n ? poi(name, category, n, synonyms) : null;
  };

  // Outpatient ground floor: the main entrance (south wall, centre), registration, pharmacy, escalators.
  const opd1 = floorId('OPD', 1);
  const c1 = corridorAt.get(opd1)!;
  node('OPD-1F-gate', opd1, ROOM / 2 + 6 * ROOM, 2 * DEPTH + CORRIDOR);
  walk('OPD-1F-gate', c1[6]);
  doc.entrancePoiId = poi('门诊楼 正门', 'entrance', 'OPD-1F-gate', ['大门', '入口', '出口', '正门']);
  // The way in from the gate is a hall, not a room anyone is sent to.
  const lobby = free.get(opd1)!.findIndex((slot) => slot.node === 'OPD-1F-r6s');
  const [hall] = free.get(opd1)!.splice(lobby, 1);
  Object.assign(hall.area, { kind: 'hall', label: '门诊大厅' });
  place(opd1, '挂号收费处', 'registration', SYN.registration, '挂号收费');
  place(opd1, '门诊西药房', 'pharmacy', SYN.pharmacy, '西药房');
  place(opd1, '中药房', 'pharmacy', ['取药', '中药'], '中药房');
  place(opd1, '咨询服务台', 'service', ['咨询', '导诊', '服务台'], '服务台');
  // Escalators in the hall between 1F, 2F and 3F.
  for (const level of [1, 2, 3]) {
    const f = floorId('OPD', level);
    node(`${f}-esc`, f, 4 * ROOM + ROOM / 2, DEPTH + CORRIDOR / 2 - 1);
    walk(`${f}-esc`, corridorAt.get(f)![4]);
    poi(`门诊楼${level}楼 扶梯`, 'escalator', `${f}-esc`, ['扶梯', '自动扶梯']);
    if (level > 1) walk(floorId('OPD', level - 1) + '-esc', `${f}-esc`, 'escalator');
  }
  for (const level of [2, 3, 4, 5, 6])
    place(floorId('OPD', level), `门诊楼${level}楼 自助缴费机`, 'payment', ['缴费', '自助机'], '自助缴费');

  // Clinic rooms: each department on the floor its catalog location names (门诊楼3楼B区), spilling upwards when full.
  for (const dep of h.departments) {
    const wanted = Number(/门诊楼(\d+)楼/.exec(dep.location)?.[1] ?? 1);
    const rooms = dep.name === '急诊科' ? 2 : r.int(2, 4);
    for (let k = 1; k <= rooms; k++) {
      for (let tries = 0; tries < 6; tries++) {
        const level = ((wanted - 1 + tries) % 6) + 1;
        const id = take(floorId('OPD', level), `${dep.name}${k}诊`);
        if (id) {
          poi(`${dep.name} ${k} 诊室`, 'clinic', id, [], dep.code);
          break;
        }
      }
    }
  }

  // Medical technology building: lab, imaging.
  place(floorId('MTB', 1), '检验科（抽血处）', 'lab', SYN.lab, '抽血处');
  place(floorId('MTB', 1), '报告打印处', 'service', ['报告', '打印报告', '取报告'], '报告打印');
  place(floorId('MTB', 2), '放射科', 'imaging', SYN.imaging, '放射科');
  place(floorId('MTB', 2), 'CT 室', 'imaging', ['CT', '拍片'], 'CT');
  place(floorId('MTB', 3), '超声科', 'imaging', SYN.ultrasound, '超声科');
  place(floorId('MTB', 4), '内镜中心', 'imaging', ['胃镜', '肠镜'], '内镜中心');
  // Inpatient building: admissions and wards.
  place(floorId('IPD', 1), '住院服务中心', 'registration', ['住院', '入院登记', '出院结算'], '住院服务');
  for (const level of plans[2].levels.slice(1))
    place(floorId('IPD', level), `${level} 病区护士站`, 'service', ['病房', '病区', '护士站'], '护士站');

  // Bridges: OPD <-> MTB on 1F and 2F (east ends), OPD <-> IPD on 1F (a covered walkway south of the gate).
  for (const level of [1, 2]) {
    const a = corridorAt.get(floorId('OPD', level))!;
    const b = corridorAt.get(floorId('MTB', level))!;
    walk(a[a.length - 1], b[0], 'bridge');
  }
  const ipd1 = corridorAt.get(floorId('IPD', 1))!;
  walk('OPD-1F-gate', ipd1[6], 'bridge');
  return doc;
}
