import { useMemo } from 'react';
import { Image, Text, View } from '@tarojs/components';
import { svgDataUri } from '../lib/svg';
import { trendSummary, trendSvg, type TrendChartOptions } from '../lib/trend-svg';
import './trend-chart.css';

export type { TrendBand, TrendChartOptions, TrendPoint, TrendSeries } from '../lib/trend-svg';
export { trendSummary, trendSvg } from '../lib/trend-svg';

/**
 * One line chart for every trend in the app (lab values, blood pressure ...): drawn as SVG
 * and shown as a data-URI `<Image>`, so it looks the same in weapp and H5 and costs no
 * chart library. Large labels for older eyes; a text summary for screen readers and for
 * anyone who would rather read than look.
 */

interface Props extends TrendChartOptions {
  /** Read out before the summary, e.g. 空腹血糖变化趋势. */
  title?: string;
  /** Replaces the built summary. */
  summary?: string;
  className?: string;
}

export function TrendChart({ series, bands, unit, title, summary, className }: Props) {
  const hasData = series.some((s) => s.points.some((p) => Number.isFinite(p.value)));
  const src = useMemo(
    () => (hasData ? svgDataUri(trendSvg({ series, bands, unit })) : ''),
    [hasData, series, bands, unit],
  );
  const text = summary ?? trendSummary({ series, bands, unit });
  return (
    <View className={`trend-chart ${className ?? ''}`}>
      {title && <Text className='trend-chart__title'>{title}</Text>}
      {hasData ? (
        <Image className='trend-chart__image' src={src} mode='widthFix' ariaLabel={`${title ?? ''}${text}`} />
      ) : (
        <View className='trend-chart__empty'>暂无历史数据</View>
      )}
      {hasData && <Text className='trend-chart__summary'>{text}</Text>}
    </View>
  );
}
