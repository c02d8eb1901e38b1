import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Current } from '@tarojs/runtime';
import NavRoute from '../../miniprogram/packages/nav/route/index';
import { drawFloor } from '../../miniprogram/packages/nav/floor-svg';
import { api } from '../../miniprogram/api/client';
import type { HospitalMap, Route } from '../../miniprogram/api/types';
import { svgText } from '../../miniprogram/lib/svg';

jest.mock('../../miniprogram/api/client', () => {
  const actual = jest.requireActual('../../miniprogram/api/client');
  return { ...actual, api: { navigation: { map: jest.fn(), pois: jest.fn(), route: jest.fn() } } };
});
const mocked = api as unknown as { navigation: { map: jest.Mock; pois: jest.Mock; route: jest.Mock } };

const poi = (id: string, name: string, floorId: string, x: number, y: number, departmentId: string | null = null) => ({
  id,
  name,
  category: departmentId ? ('clinic' as const) : ('entrance' as const),
  floorId,
  buildingId: 'A',
  place: floorId === 'A1' ? '门诊楼 1 楼' : '门诊楼 2 楼',
  x,
  y,
  departmentId,
});
const bounds = { x: 0, y: 0, width: 40, height: 20 };
const map: HospitalMap = {
  hospitalId: 'hsp_1',
  version: 1,
  entrancePoiId: 'P-gate',
  buildings: [{ id: 'A', name: '门诊楼' }],
  floors: [
    { id: 'A1', buildingId: 'A', level: 1, name: '1F', bounds },
    { id: 'A2', buildingId: 'A', level: 2, name: '2F', bounds },
  ],
  pois: [
    poi('P-gate', '门诊楼正门', 'A1', 0, 10),
    poi('P-c2', '心内科 2 诊室', 'A2', 30, 5, 'dep_card'),
    poi('P-c1', '心内科 1 诊室', 'A2', 20, 5, 'dep_card'),
  ],
  geometry: [
    {
      floorId: 'A1',
      areas: [{ x: 0, y: 0, width: 10, height: 8, kind: 'room', label: '挂号收费' }],
      corridors: [[0, 10, 20, 10]],
    },
    { floorId: 'A2', areas: [], corridors: [[20, 10, 20, 5]] },
  ],
};
const route: Route = {
  from: map.pois[0],
  to: map.pois[2],
  accessible: false,
  distanceMeters: 25,
  etaSeconds: 75,
  floors: ['A1', 'A2'],
  steps: [
    { instruction: '从 门诊楼正门 出发', distanceMeters: 0, floor: 'A1', poiId: 'P-gate' },
    { instruction: '直行 20 米后到达电梯', distanceMeters: 20, floor: 'A1' },
    { instruction: '乘电梯到 2 楼', distanceMeters: 0, floor: 'A2' },
    { instruction: '直行 5 米', distanceMeters: 5, floor: 'A2' },
    { instruction: '到达 心内科 1 诊室', distanceMeters: 0, floor: 'A2', poiId: 'P-c1' },
  ],
  path: [
    { floor: 'A1', x: 0, y: 10 },
    { floor: 'A1', x: 20, y: 10 },
    { floor: 'A2', x: 20, y: 10 },
    { floor: 'A2', x: 20, y: 5 },
  ],
};

const decode = (src: string) => Buffer.from(src.split(',')[1], 'base64').toString('ascii');

describe('the floor drawing', () => {
  it('is ASCII SVG with the rooms, the route on this floor and the markers that are here', () => {
    const first = drawFloor(map, 'A1', route).svg;
    expect(first).toMatch(/^[\x20-\x7e]+$/);
    expect(first).toContain('<polyline points="0,10 20,10"');
    expect(first).toContain(svgText('挂'));
    expect(first).toContain(svgText('起'));
    expect(first).not.toContain(svgText('终'));
    const second = drawFloor(map, 'A2', route);
    expect(second.svg).toContain('<polyline points="20,10 20,5"');
    expect(second.svg).toContain(svgText('终'));
    expect(second.focus.x).toBeCloseTo((20 + 3) / 46);
  });
});

describe('the navigation page', () => {
  beforeEach(() => {
    jest.resetAllMocks();
    mocked.navigation.map.mockResolvedValue(map);
    mocked.navigation.route.mockResolvedValue(route);
  });

  it("routes to the department's first clinic room from the entrance and switches floors", async () => {
    Current.router = { params: { hospitalId: 'hsp_1', departmentId: 'dep_card' } } as never;
    const { container } = render(<NavRoute />);
    await screen.findByText('约 1 分钟');
    expect(mocked.navigation.route).toHaveBeenCalledWith('hsp_1', { from: undefined, to: 'P-c1', accessible: false });
    const chips = container.querySelectorAll('.nav__floor');
    expect(Array.from(chips, (c) => c.textContent)).toEqual(['1. 门诊楼 1F', '2. 门诊楼 2F']);
    const img = () => container.querySelector('.nav__img') as HTMLElement;
    expect(decode(img().getAttribute('src')!)).toContain(svgText('起'));
    fireEvent.click(chips[1]);
    await waitFor(() => expect(decode(img().getAttribute('src')!)).toContain(svgText('终')));
    expect(screen.getByText('乘电梯到 2 楼')).toBeTruthy();
  });

  it('without a destination: asks where to, and shows every floor to look around, from the entrance floor', async () => {
    Current.router = { params: { hospitalId: 'hsp_1' } } as never;
    const { container } = render(<NavRoute />);
    await screen.findByText('要去哪里？');
    expect(mocked.navigation.route).not.toHaveBeenCalled();
    const chips = container.querySelectorAll('.nav__floor');
    expect(Array.from(chips, (c) => c.textContent)).toEqual(['门诊楼 1F', '门诊楼 2F']);
    expect(chips[0].className).toContain('is-active');
    const svg = decode((container.querySelector('.nav__img') as HTMLElement).getAttribute('src')!);
    expect(svg).not.toContain('<polyline');
    expect(svg).toContain(svgText('挂'));
  });

  it('asks again without stairs, and explains when there is no accessible route', async () => {
    Current.router = { params: { hospitalId: 'hsp_1', to: 'P-c1' } } as never;
    const { container } = render(<NavRoute />);
    await screen.findByText('约 1 分钟');
    const { ApiError } = jest.requireActual('../../miniprogram/api/client');
    mocked.navigation.route.mockRejectedValueOnce(
      new ApiError(422, 'NO_ROUTE', '没有只乘电梯的无障碍路线可以到达心内科 1 诊室'),
    );
    fireEvent.click(container.querySelector('.nav__chip')!);
    await screen.findByText('没有只乘电梯的无障碍路线可以到达心内科 1 诊室');
    expect(mocked.navigation.route).toHaveBeenLastCalledWith('hsp_1', {
      from: undefined,
      to: 'P-c1',
      accessible: true,
    });
  });
});
