import { useEffect, useMemo, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text, Image, Input, ScrollView } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api } from '../../../api/client';
import type { Poi } from '../../../api/types';
import { useRequest } from '../../../api/use-request';
import { Icon } from '../../../components/icon';
import { StatusView } from '../../../components/status-view';
import { svgDataUri } from '../../../lib/svg';
import { drawFloor, etaText, floorLabel } from '../floor-svg';
import '../nav.css';

const ZOOMS = [1, 1.5, 2, 3, 4];
/** Drawn width at zoom 1, in CSS px: the card's inner width on a 375-px phone. */
const BASE_WIDTH = 315;

/**
 * 院内导航: the route from the main entrance (or a chosen place) to a POI or
 * to the clinic of a department (到我的就诊科室 from an appointment), drawn
 * floor by floor, with the steps in words and a place search.
 * Params: hospitalId, and to (POI id) or departmentId; optional from (POI id).
 */
export default function NavRoute() {
  const { params } = useRouter();
  const hospitalId = params.hospitalId ?? '';
  const map = useRequest(() => api.navigation.map(hospitalId), [hospitalId]);
  const [to, setTo] = useState<string | undefined>(params.to);
  const [from, setFrom] = useState<string | undefined>(params.from);
  const [accessible, setAccessible] = useState(false);
  const [floor, setFloor] = useState<string>();
  const [zoom, setZoom] = useState(2);
  // Opened with no destination: ask for one first.
  const [picking, setPicking] = useState<'from' | 'to' | null>(params.to || params.departmentId ? null : 'to');
  const [keyword, setKeyword] = useState('');
  const [results, setResults] = useState<Poi[] | null>(null);

  // A department's clinic: its first room in the map (the server links rooms to catalog departments).
  useEffect(() => {
    if (to || !map.data || !params.departmentId) return;
    const rooms = map.data.pois
      .filter((p) => p.departmentId === params.departmentId)
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN'));
    if (rooms.length) setTo(rooms[0].id);
    else setPicking('to');
  }, [map.data, params.departmentId, to]);

  const route = useRequest(
    () => (to ? api.navigation.route(hospitalId, { from, to, accessible }) : Promise.resolve(undefined)),
    [hospitalId, from, to, accessible],
  );
  const r = route.data;
  const noRoute = route.error?.code === 'NO_ROUTE';
  const shown = noRoute ? undefined : r;
  // With a route: its floors in order; without one, every floor to look around.
  const floors = useMemo(() => shown?.floors ?? map.data?.floors.map((f) => f.id) ?? [], [shown, map.data]);
  useEffect(() => {
    const entrance = map.data?.pois.find((p) => p.id === map.data!.entrancePoiId);
    setFloor(shown?.floors[0] ?? entrance?.floorId);
  }, [shown, map.data]);

  const drawing = useMemo(
    () => (map.data && floor ? drawFloor(map.data, floor, shown) : undefined),
    [map.data, floor, shown],
  );
  const width = BASE_WIDTH * ZOOMS[ZOOMS.indexOf(zoom)];
  const height = drawing ? Math.max(width / drawing.aspect, 80) : 0;

  const search = async (value: string) => {
    const q = value.trim();
    if (!q) return;
    try {
      setResults((await api.navigation.pois(hospitalId, { q })).items);
    } catch {
      setResults([]);
    }
  };
  const choose = (p: Poi) => {
    if (picking === 'from') setFrom(p.id);
    else setTo(p.id);
    setPicking(null);
    setResults(null);
    setKeyword('');
  };
  const step = (d: number) => setZoom(ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, ZOOMS.indexOf(zoom) + d))]);

  return (
    <View className='page nav'>
      <StatusView loading={map.loading && !map.data} error={map.error} onRetry={map.reload} />
      {map.data && (
        <View>
          <View className='card nav__ends'>
            <View className='nav__end' onClick={() => setPicking('from')} role='button'>
              <Text className='nav__dot nav__dot--start'>起</Text>
              <Text className='nav__end-name'>
                {r?.from.name ?? map.data.pois.find((p) => p.id === (from ?? map.data!.entrancePoiId))?.name}
              </Text>
              <Text className='link-action'>更换起点</Text>
            </View>
            <View className='nav__end' onClick={() => setPicking('to')} role='button'>
              <Text className='nav__dot nav__dot--end'>终</Text>
              <View className='nav__end-text'>
                <Text className='nav__end-name'>{r?.to.name ?? '选择目的地'}</Text>
                {r && <Text className='muted'>{r.to.place}</Text>}
              </View>
              <Text className='link-action'>{to ? '更换' : '选择'}</Text>
            </View>
            <View className='nav__options'>
              <View
                className={`nav__chip ${accessible ? 'is-active' : ''}`}
                role='switch'
                aria-checked={accessible}
                onClick={() => setAccessible(!accessible)}
              >
                {accessible ? '✓ ' : ''}无障碍路线（只乘电梯）
              </View>
            </View>
          </View>

          {picking && (
            <View className='card nav__search' role='search'>
              <Text className='title'>{picking === 'from' ? '从哪里出发？' : '要去哪里？'}</Text>
              <View className='nav__search-box'>
                <Icon name='search' size='md' />
                <Input
                  className='nav__input'
                  value={keyword}
                  placeholder='如：心内科、抽血、药房'
                  confirmType='search'
                  maxlength={40}
                  onInput={(e) => setKeyword(e.detail.value)}
                  onConfirm={(e) => void search(e.detail.value)}
                />
                <Text className='nav__search-go' onClick={() => void search(keyword)}>
                  搜索
                </Text>
              </View>
              {results?.length === 0 && <Text className='empty'>没有找到，换个说法试试（如“抽血”“缴费”）</Text>}
              {results?.map((p) => (
                <View key={p.id} className='nav__result' onClick={() => choose(p)} role='button'>
                  <Text className='nav__result-name'>{p.name}</Text>
                  <Text className='muted'>{p.place}</Text>
                </View>
              ))}
              {picking === 'from' && (
                <Text
                  className='link-action'
                  onClick={() => {
                    setFrom(undefined);
                    setPicking(null);
                  }}
                >
                  从正门出发
                </Text>
              )}
            </View>
          )}

          <StatusView loading={route.loading && !r} error={noRoute ? undefined : route.error} onRetry={route.reload} />
          {noRoute && (
            <View className='card nav__warn' role='alert'>
              <Text>{route.error!.message}</Text>
              {accessible && (
                <Button size='large' block onClick={() => setAccessible(false)}>
                  查看含楼梯的路线
                </Button>
              )}
            </View>
          )}
          {shown && (
            <View className='card nav__summary'>
              <Text className='nav__eta'>{etaText(shown.etaSeconds)}</Text>
              <Text className='muted'>
                步行 {shown.distanceMeters} 米 · 经过 {shown.floors.length} 个楼层
              </Text>
            </View>
          )}
          <ScrollView scrollX className='nav__floors' enableFlex>
            {floors.map((f, i) => (
              <View
                key={f}
                className={`nav__floor ${f === floor ? 'is-active' : ''}`}
                onClick={() => setFloor(f)}
                role='tab'
                aria-selected={f === floor}
              >
                {shown ? `${i + 1}. ` : ''}
                {floorLabel(map.data!, f)}
              </View>
            ))}
          </ScrollView>
          {drawing && (
            <View className='card nav__map'>
              <ScrollView
                scrollX
                scrollY
                className='nav__canvas'
                style={{ height: `${Math.min(height, 360)}px` }}
                scrollLeft={Math.max(0, drawing.focus.x * width - BASE_WIDTH / 2)}
                scrollTop={Math.max(0, drawing.focus.y * height - 180)}
              >
                <Image
                  className='nav__img'
                  src={svgDataUri(drawing.svg)}
                  style={{ width: `${width}px`, height: `${height}px` }}
                  aria-label={`${floorLabel(map.data, floor!)} 平面图`}
                />
              </ScrollView>
              <View className='nav__zoom'>
                <View className='nav__zoom-btn' role='button' aria-label='缩小' onClick={() => step(-1)}>
                  －
                </View>
                <Text className='nav__zoom-level'>{zoom}×</Text>
                <View className='nav__zoom-btn' role='button' aria-label='放大' onClick={() => step(1)}>
                  ＋
                </View>
              </View>
            </View>
          )}
          {shown && (
            <View>
              <Text className='section-title'>路线</Text>
              <View className='card nav__steps'>
                {shown.steps.map((s, i) => (
                  <View
                    key={i}
                    className={`nav__step ${s.floor === floor ? '' : 'nav__step--other'}`}
                    onClick={() => setFloor(s.floor)}
                  >
                    <Text className='nav__step-no'>{i + 1}</Text>
                    <View className='nav__step-text'>
                      <Text>{s.instruction}</Text>
                      <Text className='nav__step-floor'>{floorLabel(map.data!, s.floor)}</Text>
                    </View>
                  </View>
                ))}
              </View>
            </View>
          )}
        </View>
      )}
    </View>
  );
}
