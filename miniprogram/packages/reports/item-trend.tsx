import { View, Text } from '@tarojs/components';
import { api } from '../../api/client';
import { useRequest } from '../../api/use-request';
import type { ReportItem } from '../../api/types';
import { TrendChart } from '../../components/trend-chart';

const DIRECTION = { rising: '总体呈上升趋势', falling: '总体呈下降趋势', stable: '总体基本平稳' } as const;

/** One item's results over the patient's earlier reports, with its reference band. */
export function ItemTrend({ patientId, item }: { patientId: string; item: ReportItem }) {
  const numeric = item.value.trim() !== '' && Number.isFinite(Number(item.value));
  const state = useRequest(
    () => (numeric ? api.reports.observations(patientId, { code: item.analyte ?? item.code }) : Promise.resolve(null)),
    [patientId, item.code],
  );
  if (!numeric) return null;
  if (state.loading) return <Text className='muted report-trend__status'>正在加载历次结果…</Text>;
  if (state.error || !state.data) return <Text className='muted report-trend__status'>历次结果暂时无法加载</Text>;
  const o = state.data;
  const points = o.points.filter((p) => p.value !== null).map((p) => ({ at: p.reportedAt, value: p.value as number }));
  const r = o.referenceRange;
  const bands =
    r && (r.low !== null || r.high !== null)
      ? [{ low: r.low ?? undefined, high: r.high ?? undefined, label: '参考范围' }]
      : [];
  return (
    <View className='report-trend'>
      <TrendChart
        title={`${o.name}历次结果`}
        series={[{ name: o.name, points }]}
        bands={bands}
        unit={o.unit ?? undefined}
      />
      {o.direction && points.length > 2 && <Text className='muted'>{DIRECTION[o.direction]}</Text>}
      {o.omittedOtherUnits > 0 && <Text className='muted'>另有 {o.omittedOtherUnits} 次结果单位不同，未画入图中</Text>}
    </View>
  );
}
