import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Bookings and cancellations per day (Apache ECharts, only the parts used). */
export function DailyChart({ days }: { days: Array<{ date: string; bookings: number; cancellations: number }> }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = echarts.init(ref.current!);
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { data: ['预约', '取消'], top: 0 },
      grid: { left: 40, right: 20, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: days.map((d) => d.date.slice(5)), boundaryGap: false },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: '预约', type: 'line', smooth: true, areaStyle: { opacity: 0.12 }, data: days.map((d) => d.bookings) },
        { name: '取消', type: 'line', smooth: true, data: days.map((d) => d.cancellations) },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [days]);
  return <div ref={ref} style={{ height: 280 }} data-testid='daily-chart' />;
}
