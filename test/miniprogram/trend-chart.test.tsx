import { render, screen } from '@testing-library/react';
import { TrendChart } from '../../miniprogram/components/trend-chart';
import { niceTicks, svgText, trendSummary, trendSvg } from '../../miniprogram/lib/trend-svg';

const glucose = {
  name: '空腹血糖',
  points: [
    { at: '2026-06-01T01:00:00.000Z', value: 5.2 },
    // 23:30 UTC is the next day in Shanghai.
    { at: '2026-09-10T23:30:00.000Z', value: 6.1 },
    { at: '2026-12-01T02:00:00.000Z', value: 7.4 },
  ],
};
const band = { low: 3.9, high: 6.1, label: '参考范围' };

/** The SVG back out of the data URI the <Image> shows. */
function svgOf(img: Element): string {
  const src = img.getAttribute('src') ?? '';
  expect(src.startsWith('data:image/svg+xml;base64,')).toBe(true);
  return Buffer.from(src.split(',')[1], 'base64').toString('latin1');
}

describe('trend chart', () => {
  it('draws one series with its reference band, Shanghai dates and the latest value', () => {
    const svg = trendSvg({ series: [glucose], bands: [band], unit: 'mmol/L' });
    // eslint-disable-next-line no-control-regex
    expect(svg).toMatch(/^[\x00-\x7e]+$/);
    expect(svg).toContain('<polyline');
    expect(svg.match(/<circle/g)).toHaveLength(3);
    expect(svg).toContain('6/1');
    expect(svg).toContain('12/1');
    expect(svg).toContain('>9/11<');
    expect(svg).not.toContain('>9/10<');
    expect(svg).toContain(`${svgText('参考范围')} 3.9-6.1`);
    expect(svg).toContain('font-weight="bold" fill="#0b6fd6">7.4<');
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('mmol/L');
  });

  it('shows the band, the legend and both series of a blood-pressure chart', () => {
    const svg = trendSvg({
      series: [
        {
          name: '收缩压',
          points: [
            { at: '2026-11-01T00:00:00Z', value: 150 },
            { at: '2026-11-08T00:00:00Z', value: 138 },
          ],
        },
        {
          name: '舒张压',
          points: [
            { at: '2026-11-01T00:00:00Z', value: 95 },
            { at: '2026-11-08T00:00:00Z', value: 86 },
          ],
        },
      ],
      bands: [
        { high: 140, label: '收缩压目标' },
        { high: 90, label: '舒张压目标' },
      ],
      unit: 'mmHg',
    });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain(svgText('收缩压'));
    expect(svg).toContain(svgText('舒张压'));
    expect(svg).toContain(svgText('收缩压目标 ≤140'));
    expect(svg).toContain('>138<');
    expect(svg).toContain('>86<');
  });

  it('puts the year on the axis when the dates span years', () => {
    const svg = trendSvg({
      series: [
        {
          name: 'ALT',
          points: [
            { at: '2025-12-30T00:00:00Z', value: 30 },
            { at: '2026-02-01T00:00:00Z', value: 60 },
          ],
        },
      ],
    });
    expect(svg).toContain('2025/12/30');
    expect(svg).toContain('2026/2/1');
  });

  it('chooses round axis ticks that cover the values', () => {
    expect(niceTicks(3.9, 7.4)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(niceTicks(86, 150)).toEqual([80, 100, 120, 140, 160]);
    const flat = niceTicks(5, 5);
    expect(flat[0]).toBeLessThan(5);
    expect(flat[flat.length - 1]).toBeGreaterThan(5);
  });

  it('says the trend in words against the band', () => {
    expect(trendSummary({ series: [glucose], bands: [band], unit: 'mmol/L' })).toBe(
      '空腹血糖共 3 次，最近一次 2026年12月1日 为 7.4 mmol/L，比上次高；最低 5.2，最高 7.4，高于参考范围 3.9-6.1。',
    );
    expect(
      trendSummary({
        series: [{ name: '血红蛋白', points: [{ at: '2026-12-01T02:00:00Z', value: 140 }] }],
        bands: [{ low: 130, high: 175 }],
      }),
    ).toBe('血红蛋白共 1 次，最近一次 2026年12月1日 为 140，在参考范围 130-175内。');
  });

  it('renders an image with the summary as its label and as text, or an empty state', () => {
    const { unmount } = render(<TrendChart title='空腹血糖' series={[glucose]} bands={[band]} unit='mmol/L' />);
    const img = document.querySelector('.trend-chart__image');
    expect(img).toBeTruthy();
    expect(svgOf(img!)).toContain('<polyline');
    expect(screen.getByText(/高于参考范围 3.9-6.1/)).toBeTruthy();
    expect(img!.getAttribute('aria-label') ?? img!.getAttribute('ariaLabel')).toContain('最近一次');
    unmount();
    render(<TrendChart series={[{ name: 'x', points: [] }]} />);
    expect(screen.getByText('暂无历史数据')).toBeTruthy();
    expect(document.querySelector('.trend-chart__image')).toBeNull();
  });
});
