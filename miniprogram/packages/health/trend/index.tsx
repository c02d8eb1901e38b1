import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { api } from '../../../api/client';
import type { HealthSummary, MeasurementType } from '../../../api/types';
import { useRequest } from '../../../api/use-request';
import { StatusView } from '../../../components/status-view';
import { TrendChart, type TrendBand } from '../../../components/trend-chart';
import { LEVEL_BADGE, TYPES, TYPE_LABELS, UNITS } from '../../../lib/health';
import '../health.css';

const DAYS = [7, 30, 90] as const;
const METRIC_LABELS: Record<string, string> = {
  systolic: '收缩压',
  diastolic: '舒张压',
  pulse: '脉搏',
  mmolL: '血糖',
  kg: '体重',
  bmi: 'BMI',
  bpm: '心率',
  celsius: '体温',
  percent: '血氧',
};
const TREND_TEXT: Record<HealthSummary['trend']['direction'], string> = {
  rising: '近期呈上升趋势',
  falling: '近期呈下降趋势',
  stable: '近期基本平稳',
  insufficient: '记录较少，暂不判断趋势',
};

const BAND_COLOURS = { normal: '#067647', elevated: '#b54708', high: '#c0251a', urgent: '#c0251a' } as const;
const CHART_UNITS: Record<string, string> = { bmi: 'kg/m²' };

/** One chart per charted value (systolic and diastolic apart, so each has its own guideline bands). */
function chartsOf(s: HealthSummary) {
  const metrics = Object.keys(s.metrics).filter((m) => m !== 'pulse' && s.daily.some((d) => d.values[m] !== undefined));
  return metrics.map((m) => ({
    metric: m,
    title: `${METRIC_LABELS[m] ?? m}（每日平均）`,
    series: [
      {
        name: METRIC_LABELS[m] ?? m,
        points: s.daily
          .filter((d) => d.values[m] !== undefined)
          .map((d) => ({ at: `${d.date}T12:00:00+08:00`, value: d.values[m] })),
      },
    ],
    bands: s.bands
      .filter((b) => b.metric === m)
      .map<TrendBand>((b) => ({
        low: b.low ?? undefined,
        high: b.high ?? undefined,
        label: b.label,
        color: BAND_COLOURS[b.level],
      })),
    unit: CHART_UNITS[m] ?? UNITS[s.type],
  }));
}

function Chips<T extends string | number>(p: {
  label: string;
  items: Array<{ key: T; label: string }>;
  value: T;
  onChange: (v: T) => void;
}) {
  return (
    <View className='hp__chips' role='radiogroup' aria-label={p.label}>
      {p.items.map((i) => (
        <View
          key={i.key}
          role='radio'
          aria-checked={i.key === p.value}
          className={`hp__chip ${i.key === p.value ? 'is-active' : ''}`}
          onClick={() => p.onChange(i.key)}
        >
          {i.label}
        </View>
      ))}
    </View>
  );
}

/** 健康趋势: one type over 7/30/90 days, with guideline bands, averages, shares per class and the trend. */
export default function TrendPage() {
  const router = useRouter().params;
  const patientId = router.patientId ?? '';
  const [type, setType] = useState<MeasurementType>((router.type as MeasurementType) ?? 'blood_pressure');
  const [days, setDays] = useState<7 | 30 | 90>(30);
  const summary = useRequest(() => api.health.summary({ patientId, type, days }), [patientId, type, days]);
  const s = summary.data;

  return (
    <View className='page hp'>
      <View className='hp__intro'>
        <Chips
          label='测量类型'
          items={TYPES.map((t) => ({ key: t, label: TYPE_LABELS[t] }))}
          value={type}
          onChange={setType}
        />
        <Chips
          label='时间范围'
          items={DAYS.map((d) => ({ key: d, label: `${d}天` }))}
          value={days}
          onChange={setDays}
        />
      </View>
      <StatusView
        loading={summary.loading && !s}
        error={summary.error}
        onRetry={summary.reload}
        empty={s?.count === 0}
        emptyText={`近${days}天没有${TYPE_LABELS[type]}记录`}
      />
      {s && s.count > 0 && (
        <>
          <View className='card hp__result'>
            <Text className='hp__big'>
              近{s.days}天 {s.count} 次记录 · {TREND_TEXT[s.trend.direction]}
            </Text>
            <View className='hp__stats'>
              {Object.entries(s.metrics).map(([m, v]) => (
                <View key={m} className='hp__stat'>
                  <Text className='muted'>{METRIC_LABELS[m] ?? m} 平均</Text>
                  <Text className='hp__big'>{v.avg ?? '—'}</Text>
                  <Text className='muted'>
                    最低 {v.min ?? '—'} · 最高 {v.max ?? '—'}
                  </Text>
                </View>
              ))}
            </View>
          </View>
          {chartsOf(s).map((c) => (
            <View key={c.metric} className='card hp__chart'>
              <TrendChart title={c.title} series={c.series} bands={c.bands} unit={c.unit} />
            </View>
          ))}
          <Text className='section-title'>各分级占比</Text>
          <View className='card'>
            {s.classes
              .filter((c) => c.count > 0)
              .map((c) => (
                <View key={c.code} className='hp__share'>
                  <Text className={LEVEL_BADGE[c.level]}>{c.label}</Text>
                  <Text>
                    {c.count} 次 · {Math.round(c.share * 100)}%
                  </Text>
                </View>
              ))}
          </View>
          <Text className='muted hp__intro'>分级依据：{s.source}</Text>
        </>
      )}
    </View>
  );
}
