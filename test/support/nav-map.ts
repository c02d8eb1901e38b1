/**
 * A small indoor map whose shortest routes are computed by hand in
 * test/server/navigation.test.ts. Costs (graph.ts COSTS): walking 1 m/s,
 * elevator 45 s wait + 5 s a floor, stairs 25 s a floor.
 *
 *   门诊楼 1F  gate(0,0) -- j1(20,0) -- s1(40,0) -- k1(60,0) ==bridge== 医技楼 1F b0(80,0) -- lab(100,0)
 *                              |
 *                            e1(20,10)   (elevator to 2F)
 *   门诊楼 2F  e2(20,10) -- j2(20,0) -- s2(40,0) -- c2(40,20) 心内科 3 诊室
 *   门诊楼 3F  s3(40,0) -- r3(40,-10) 康复治疗室   (stairs only: no accessible route)
 */
export function smallMap(hospitalCode: string, departmentCode = 'D10') {
  const floor = (id: string, buildingId: string, level: number) => ({
    id,
    buildingId,
    level,
    name: `${level}F`,
    bounds: { x: buildingId === 'A' ? -5 : 75, y: -15, width: buildingId === 'A' ? 70 : 30, height: 40 },
    areas: [{ x: 35, y: 15, width: 10, height: 10, kind: 'room', label: '诊室' }],
  });
  const n = (id: string, floorId: string, x: number, y: number) => ({ id, floorId, x, y });
  return {
    format: 1,
    hospitalCode,
    entrancePoiId: 'P-gate',
    buildings: [
      { id: 'A', name: '门诊楼' },
      { id: 'B', name: '医技楼' },
    ],
    floors: [floor('A1', 'A', 1), floor('A2', 'A', 2), floor('A3', 'A', 3), floor('B1', 'B', 1)],
    nodes: [
      n('gate', 'A1', 0, 0),
      n('j1', 'A1', 20, 0),
      n('e1', 'A1', 20, 10),
      n('s1', 'A1', 40, 0),
      n('k1', 'A1', 60, 0),
      n('e2', 'A2', 20, 10),
      n('j2', 'A2', 20, 0),
      n('s2', 'A2', 40, 0),
      n('c2', 'A2', 40, 20),
      n('s3', 'A3', 40, 0),
      n('r3', 'A3', 40, -10),
      n('b0', 'B1', 80, 0),
      n('lab', 'B1', 100, 0),
    ],
    edges: [
      { from: 'gate', to: 'j1', kind: 'walk' },
      { from: 'j1', to: 'e1', kind: 'walk' },
      { from: 'j1', to: 's1', kind: 'walk' },
      { from: 's1', to: 'k1', kind: 'walk' },
      { from: 'e1', to: 'e2', kind: 'elevator' },
      { from: 's1', to: 's2', kind: 'stairs' },
      { from: 'e2', to: 'j2', kind: 'walk' },
      { from: 'j2', to: 's2', kind: 'walk' },
      { from: 's2', to: 'c2', kind: 'walk' },
      { from: 's2', to: 's3', kind: 'stairs' },
      { from: 's3', to: 'r3', kind: 'walk' },
      { from: 'k1', to: 'b0', kind: 'bridge' },
      { from: 'b0', to: 'lab', kind: 'walk' },
    ],
    pois: [
      { id: 'P-gate', name: '门诊楼正门', category: 'entrance', nodeId: 'gate', synonyms: ['大门'] },
      { id: 'P-card', name: '心内科 3 诊室', category: 'clinic', nodeId: 'c2', departmentCode },
      { id: 'P-lab', name: '检验科', category: 'lab', nodeId: 'lab', synonyms: ['化验', '抽血'] },
      { id: 'P-rehab', name: '康复治疗室', category: 'service', nodeId: 'r3' },
      { id: 'P-elev1', name: '门诊楼1楼 电梯', category: 'elevator', nodeId: 'e1' },
    ],
  };
}
