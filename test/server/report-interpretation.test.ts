import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HisReportItem } from '../../server/src/his/types';
import { interpretItem, interpretItems, parseRangeText, summarize } from '../../server/src/modules/reports/interpret';
import {
  DATA_DIR,
  InterpretationRules,
  loadRules,
  normalizeUnit,
  type Subject,
} from '../../server/src/modules/reports/rules';
import { browserFamilyOf, ipPrefix } from '../../server/src/modules/reports/share-views';
import { directionOf } from '../../server/src/modules/reports/trends';

const rules = loadRules();
const adultMan: Subject = { sex: 'male', birthDate: '1980-05-01', on: '2026-11-20' };
const adultWoman: Subject = { sex: 'female', birthDate: '1980-05-01', on: '2026-11-20' };
const item = (patch: Partial<HisReportItem>): HisReportItem => ({ code: 'X', name: '项目', value: '1', ...patch });
const read = (file: string) => JSON.parse(readFileSync(path.join(DATA_DIR, file), 'utf8'));

describe('interpretation rules (data files)', () => {
  it('load and pass their schema and cross-checks at start-up', () => {
    expect(rules.analytes.length).toBeGreaterThanOrEqual(30);
    const explained = rules.analytes.filter((a) => a.explanation);
    expect(explained.length).toBeGreaterThanOrEqual(30);
    for (const row of rules.ranges) {
      expect(rules.sources[row.source]).toBeDefined();
      expect(row.population.text).not.toBe('');
    }
    const cited = new Set(rules.ranges.map((r) => r.source));
    expect([...cited].some((s) => s.startsWith('WS/T 405'))).toBe(true);
    expect([...cited].some((s) => s.startsWith('WS/T 404'))).toBe(true);
  });

  it('never words an explanation as a diagnosis', () => {
    for (const a of rules.analytes) {
      const text = Object.values(a.explanation ?? {}).join('');
      expect(text).not.toMatch(/确诊|诊断为|您患有|你患有/);
    }
  });

  it('refuse a broken file, naming the problem', () => {
    const files = {
      analytes: read('analytes.json'),
      ranges: read('reference-ranges.json'),
      critical: read('critical-limits.json'),
    };
    const broken = (patch: (f: typeof files) => void) => {
      const copy = JSON.parse(JSON.stringify(files));
      patch(copy);
      return () => new InterpretationRules(copy);
    };
    expect(broken(() => undefined)).not.toThrow();
    expect(broken((f) => (f.ranges.ranges[0].low = 99))).toThrow(/low < high/);
    expect(broken((f) => (f.ranges.ranges[0].source = 'WS/T 0'))).toThrow(/not in sources/);
    expect(broken((f) => (f.ranges.ranges[0].analyte = 'NOPE'))).toThrow(/unknown analyte NOPE/);
    expect(broken((f) => f.ranges.ranges.push({ ...f.ranges.ranges[0] }))).toThrow(/populations overlap/);
    expect(broken((f) => f.ranges.ranges.push({ ...f.ranges.ranges[0], unit: 'mmol/L' }))).toThrow(/two units/);
    expect(broken((f) => (f.critical.limits[0].population.age.from = 'adult'))).toThrow(/age bound/);
    expect(broken((f) => (f.analytes.review = { status: 'reviewed', note: 'x' }))).toThrow(/reviewer/);
    expect(broken((f) => f.analytes.analytes.push({ ...f.analytes.analytes[0] }))).toThrow(/listed twice/);
  });
});

describe('flagging on the report’s own range', () => {
  it('flags N, L and H against the hospital range, which wins over the table', () => {
    const hgb = (value: string) =>
      interpretItem(
        item({ code: 'HGB', name: '血红蛋白', value, unit: 'g/L', referenceRange: { low: 120, high: 160 } }),
        adultMan,
        rules,
      );
    expect(hgb('125')).toMatchObject({ flag: 'N', referenceRange: { low: 120, high: 160, source: 'hospital' } });
    expect(hgb('119')).toMatchObject({ flag: 'L', explanation: { reasons: expect.stringMatching(/偏低/) } });
    expect(hgb('161').flag).toBe('H');
    expect(hgb('120').flag).toBe('N'); // the ends of a printed range are inside it
  });

  it('reads ranges given only as text, one-sided ones strictly (<5.2 excludes 5.2)', () => {
    const tc = (value: string, text: string) =>
      interpretItem(
        item({ code: 'TC', name: '总胆固醇', value, unit: 'mmol/L', referenceRange: { text } }),
        adultMan,
        rules,
      ).flag;
    expect(tc('5.1', '<5.2')).toBe('N');
    expect(tc('5.2', '<5.2')).toBe('H');
    expect(tc('5.2', '≤5.2')).toBe('N');
    expect(tc('4.0', '3.0～5.7')).toBe('N');
    expect(tc('0.9', '>1.0')).toBe('L');
    expect(parseRangeText('阴性')).toBeUndefined();
  });

  it('handles results given as bounds', () => {
    const crp = (value: string, referenceRange: HisReportItem['referenceRange']) =>
      interpretItem(item({ code: 'CRP', name: 'C反应蛋白', value, unit: 'mg/L', referenceRange }), adultMan, rules)
        .flag;
    expect(crp('<0.5', { high: 10 })).toBe('N');
    expect(crp('>200', { high: 10 })).toBe('H');
    expect(crp('<5', { low: 6, high: 10 })).toBe('L');
    expect(crp('<8', { low: 6, high: 10 })).toBeNull(); // could be either side of 6: not guessed
  });
});

describe('flagging on the fallback table', () => {
  const hgb = (value: string, who: Subject) =>
    interpretItem(item({ code: 'HB', name: '血红蛋白', value, unit: 'g/L' }), who, rules);

  it('uses the national interval for the person’s sex, citing WS/T 405', () => {
    expect(hgb('125', adultMan)).toMatchObject({
      flag: 'L',
      referenceRange: { low: 130, high: 175, source: 'reference', citation: 'WS/T 405-2012', population: '成年男性' },
    });
    expect(hgb('125', adultWoman)).toMatchObject({
      flag: 'N',
      referenceRange: { low: 115, high: 150, citation: 'WS/T 405-2012', population: '成年女性' },
    });
  });

  it('uses children’s intervals for children, by age group (WS/T 779)', () => {
    const boy8: Subject = { sex: 'male', birthDate: '2018-06-01', on: '2026-11-20' };
    const baby: Subject = { sex: 'female', birthDate: '2026-08-01', on: '2026-11-20' };
    expect(hgb('125', boy8)).toMatchObject({
      flag: 'N',
      referenceRange: { low: 118, high: 156, citation: 'WS/T 779-2021' },
    });
    expect(hgb('100', baby)).toMatchObject({ flag: 'N', referenceRange: { low: 97, high: 183 } });
    const plt = (who: Subject) =>
      interpretItem(item({ code: 'PLT', name: '血小板计数', value: '400', unit: '×10^9/L' }), who, rules);
    expect(plt(boy8).flag).toBe('N');
    expect(plt(adultMan)).toMatchObject({ flag: 'H', referenceRange: { high: 350 } });
  });

  it('uses chemistry intervals by sex and age group, citing WS/T 404', () => {
    const alp = (who: Subject) =>
      interpretItem(item({ code: 'ALP', name: '碱性磷酸酶', value: '120', unit: 'U/L' }), who, rules);
    const woman45: Subject = { sex: 'female', birthDate: '1981-01-01', on: '2026-11-20' };
    const woman60: Subject = { sex: 'female', birthDate: '1966-01-01', on: '2026-11-20' };
    expect(alp(woman45)).toMatchObject({ flag: 'H', referenceRange: { high: 100, citation: 'WS/T 404.1-2012' } });
    expect(alp(woman60)).toMatchObject({ flag: 'N', referenceRange: { low: 50, high: 135 } });
  });

  it('gives no flag when neither the report nor the table has a range: age, unit or analyte not covered', () => {
    const child: Subject = { sex: 'male', birthDate: '2016-01-01', on: '2026-11-20' };
    // No children's ALT interval in the table.
    expect(
      interpretItem(item({ code: 'ALT', name: '丙氨酸氨基转移酶', value: '300', unit: 'U/L' }), child, rules),
    ).toMatchObject({
      flag: null,
      referenceRange: null,
    });
    // Same analyte, another unit: never converted.
    expect(
      interpretItem(item({ code: 'HGB', name: '血红蛋白', value: '9.0', unit: 'g/dL' }), adultMan, rules).flag,
    ).toBeNull();
    // An analyte we do not know.
    expect(
      interpretItem(item({ code: 'ZZZ', name: '未知项目', value: '12', unit: 'U/L' }), adultMan, rules),
    ).toMatchObject({
      flag: null,
      analyte: null,
      explanation: undefined,
    });
  });
});

describe('critical values', () => {
  it('flags LL and HH from the configurable table, even beyond the hospital’s range', () => {
    const k = (value: string) =>
      interpretItem(
        item({ code: 'K', name: '钾', value, unit: 'mmol/L', referenceRange: { low: 3.5, high: 5.3 } }),
        adultMan,
        rules,
      );
    expect(k('2.5')).toMatchObject({ flag: 'LL', critical: true });
    expect(k('6.5')).toMatchObject({ flag: 'HH', critical: true });
    expect(k('5.8')).toMatchObject({ flag: 'H', critical: false });
    const glu = interpretItem(item({ code: 'GLU', name: '葡萄糖', value: '25.0', unit: 'mmol/L' }), adultMan, rules);
    expect(glu).toMatchObject({ flag: 'HH', critical: true });
  });

  it('lists critical items first and says so in the summary', () => {
    const { items, summary } = interpretItems(
      [
        item({ code: 'ALT', name: '丙氨酸氨基转移酶', value: '60', unit: 'U/L', referenceRange: { low: 9, high: 50 } }),
        item({ code: 'PLT', name: '血小板计数', value: '20', unit: '10^9/L', referenceRange: { low: 125, high: 350 } }),
      ],
      adultMan,
      rules,
      'lab',
    );
    expect(items.map((i) => i.code)).toEqual(['PLT', 'ALT']);
    expect(summary.text).toBe('共 2 项，1 项偏高，1 项偏低，其中 1 项危急值');
  });
});

describe('non-numeric results', () => {
  const qual = (value: string, text?: string) =>
    interpretItem(
      item({ code: 'PRO', name: '尿蛋白', value, referenceRange: text ? { text } : undefined }),
      adultMan,
      rules,
    );

  it('flags A where the range says 阴性 and the result is positive, N when it is negative', () => {
    expect(qual('+', '阴性')).toMatchObject({ flag: 'A', explanation: { reasons: expect.stringMatching(/阳性/) } });
    expect(qual('2+', '阴性(-)').flag).toBe('A');
    expect(qual('阴性', '阴性').flag).toBe('N');
    expect(qual('-', '阴性').flag).toBe('N');
    expect(qual('+')).toMatchObject({ flag: null, referenceRange: null });
    expect(qual('少许浑浊', '阴性').flag).toBeNull();
  });

  it('compares titers with the range’s limit', () => {
    const ana = (value: string) =>
      interpretItem(item({ code: 'ANA', name: '抗核抗体', value, referenceRange: { text: '<1:100' } }), adultMan, rules)
        .flag;
    expect(ana('1:320')).toBe('A');
    expect(ana('1:80')).toBe('N');
  });
});

describe('summary', () => {
  it('reads like “共 24 项，3 项偏高，1 项偏低，无危急值”', () => {
    const flags = [...Array(20).fill('N'), 'H', 'H', 'H', 'L'];
    const items = flags.map((flag, i) => ({
      ...interpretItem(item({ code: `C${i}` }), adultMan, rules),
      flag,
    }));
    expect(summarize(items, 'lab').text).toBe('共 24 项，3 项偏高，1 项偏低，无危急值');
    expect(summarize(items.slice(0, 20), 'lab').text).toBe('共 20 项，未见异常，无危急值');
  });
});

describe('helpers', () => {
  it('treats unit spellings alike', () => {
    expect(normalizeUnit('×10^9/L')).toBe(normalizeUnit('10*9/L'));
    expect(normalizeUnit('10E9/L')).toBe(normalizeUnit('10^9/L'));
    expect(normalizeUnit('µmol/L')).toBe(normalizeUnit('umol/L'));
    expect(normalizeUnit('μmol/L')).toBe(normalizeUnit('umol/L'));
    expect(normalizeUnit('g/L')).not.toBe(normalizeUnit('g/dL'));
  });

  it('finds a direction only in two or more numbers', () => {
    const day = 86_400_000;
    expect(directionOf([{ t: 0, v: 5 }], null)).toBeNull();
    expect(
      directionOf(
        [
          { t: 0, v: 5 },
          { t: day, v: null },
        ],
        null,
      ),
    ).toBeNull();
    expect(
      directionOf(
        [
          { t: 0, v: 100 },
          { t: 30 * day, v: 120 },
        ],
        { low: 100, high: 150 },
      ),
    ).toBe('rising');
    expect(
      directionOf(
        [
          { t: 0, v: 100 },
          { t: 30 * day, v: 103 },
        ],
        { low: 100, high: 150 },
      ),
    ).toBe('stable');
    expect(
      directionOf(
        [
          { t: 0, v: 5 },
          { t: day, v: 4 },
          { t: 2 * day, v: 3 },
        ],
        null,
      ),
    ).toBe('falling');
  });

  it('truncates addresses and names browser families', () => {
    expect(ipPrefix('203.0.113.77')).toBe('203.0.113.0/24');
    expect(ipPrefix('::ffff:10.1.2.3')).toBe('10.1.2.0/24');
    expect(ipPrefix('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(ipPrefix('::1')).toBe('0:0:0::/48');
    expect(ipPrefix('garbage')).toBe('unknown');
    expect(browserFamilyOf('Mozilla/5.0 (iPhone) AppleWebKit Mobile/15E148 MicroMessenger/8.0.47')).toBe('wechat');
    expect(browserFamilyOf('Mozilla/5.0 (X11) AppleWebKit/537.36 Chrome/120.0 Safari/537.36')).toBe('chrome');
    expect(browserFamilyOf('Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15')).toBe('safari');
    expect(browserFamilyOf('Mozilla/5.0 Chrome/120.0 Safari/537.36 Edg/120.0')).toBe('edge');
    expect(browserFamilyOf(undefined)).toBe('other');
  });
});
