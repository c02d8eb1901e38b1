import { checkIdNumber } from '../../../common/id-card';
import type { HisReport, HisReportItem } from '../../src/his/types';
import { HOSPITAL_COUNT, hospitalCode, prng } from './catalog';

/**
 * Deterministic demo reports for any valid ID number. Each patient has
 * reports at two of the demo hospitals: at the first, one visit with a blood
 * count, liver and kidney function, lipids, fasting glucose, a urine routine
 * and a chest X-ray, plus an HbA1c still preliminary; at the second, an
 * earlier blood count and lipids (for trends across hospitals), sent without
 * reference ranges on the blood count (a hospital that omits them). Three
 * results per patient are abnormal. Children get children's values.
 */

interface Analyte {
  code: string;
  name: string;
  unit?: string;
  /** Normal [low, high] by sex; values are drawn inside it. */
  male: [number, number];
  female: [number, number];
  decimals: number;
  /** The hospital's printed range: both ends, or only one side (`<5.2`). */
  printed?: 'both' | 'high' | 'low';
}

const both = (low: number, high: number): [number, number] => [low, high];

const CBC: Analyte[] = [
  { code: 'WBC', name: '白细胞计数', unit: '10^9/L', male: both(3.5, 9.5), female: both(3.5, 9.5), decimals: 2 },
  { code: 'NEUT%', name: '中性粒细胞百分比', unit: '%', male: both(40, 75), female: both(40, 75), decimals: 1 },
  { code: 'LYMPH%', name: '淋巴细胞百分比', unit: '%', male: both(20, 50), female: both(20, 50), decimals: 1 },
  {
    code: 'NEUT#',
    name: '中性粒细胞绝对值',
    unit: '10^9/L',
    male: both(1.8, 6.3),
    female: both(1.8, 6.3),
    decimals: 2,
  },
  { code: 'LYMPH#', name: '淋巴细胞绝对值', unit: '10^9/L', male: both(1.1, 3.2), female: both(1.1, 3.2), decimals: 2 },
  { code: 'RBC', name: '红细胞计数', unit: '10^12/L', male: both(4.3, 5.8), female: both(3.8, 5.1), decimals: 2 },
  { code: 'HGB', name: '血红蛋白', unit: 'g/L', male: both(130, 175), female: both(115, 150), decimals: 0 },
  { code: 'HCT', name: '红细胞压积', unit: '%', male: both(40, 50), female: both(35, 45), decimals: 1 },
  { code: 'MCV', name: '平均红细胞体积', unit: 'fL', male: both(82, 100), female: both(82, 100), decimals: 1 },
  { code: 'MCH', name: '平均红细胞血红蛋白含量', unit: 'pg', male: both(27, 34), female: both(27, 34), decimals: 1 },
  {
    code: 'MCHC',
    name: '平均红细胞血红蛋白浓度',
    unit: 'g/L',
    male: both(316, 354),
    female: both(316, 354),
    decimals: 0,
  },
  { code: 'PLT', name: '血小板计数', unit: '10^9/L', male: both(125, 350), female: both(125, 350), decimals: 0 },
];

const LIVER: Analyte[] = [
  { code: 'ALT', name: '丙氨酸氨基转移酶', unit: 'U/L', male: both(9, 50), female: both(7, 40), decimals: 0 },
  { code: 'AST', name: '天门冬氨酸氨基转移酶', unit: 'U/L', male: both(15, 40), female: both(13, 35), decimals: 0 },
  { code: 'ALP', name: '碱性磷酸酶', unit: 'U/L', male: both(45, 125), female: both(35, 100), decimals: 0 },
  { code: 'GGT', name: 'γ-谷氨酰转移酶', unit: 'U/L', male: both(10, 60), female: both(7, 45), decimals: 0 },
  { code: 'TBIL', name: '总胆红素', unit: 'μmol/L', male: both(3.4, 20.5), female: both(3.4, 20.5), decimals: 1 },
  { code: 'DBIL', name: '直接胆红素', unit: 'μmol/L', male: both(0, 6.8), female: both(0, 6.8), decimals: 1 },
  { code: 'TP', name: '总蛋白', unit: 'g/L', male: both(65, 85), female: both(65, 85), decimals: 1 },
  { code: 'ALB', name: '白蛋白', unit: 'g/L', male: both(40, 55), female: both(40, 55), decimals: 1 },
];

const KIDNEY: Analyte[] = [
  { code: 'UREA', name: '尿素', unit: 'mmol/L', male: both(3.1, 8.0), female: both(2.6, 7.5), decimals: 2 },
  { code: 'CREA', name: '肌酐', unit: 'μmol/L', male: both(57, 97), female: both(41, 73), decimals: 0 },
  { code: 'UA', name: '尿酸', unit: 'μmol/L', male: both(208, 428), female: both(155, 357), decimals: 0 },
];

const LIPIDS: Analyte[] = [
  {
    code: 'TC',
    name: '总胆固醇',
    unit: 'mmol/L',
    male: both(3.0, 5.2),
    female: both(3.0, 5.2),
    decimals: 2,
    printed: 'high',
  },
  {
    code: 'TG',
    name: '甘油三酯',
    unit: 'mmol/L',
    male: both(0.5, 1.7),
    female: both(0.5, 1.7),
    decimals: 2,
    printed: 'high',
  },
  {
    code: 'HDL-C',
    name: '高密度脂蛋白胆固醇',
    unit: 'mmol/L',
    male: both(1.0, 1.9),
    female: both(1.0, 1.9),
    decimals: 2,
    printed: 'low',
  },
  {
    code: 'LDL-C',
    name: '低密度脂蛋白胆固醇',
    unit: 'mmol/L',
    male: both(1.5, 3.4),
    female: both(1.5, 3.4),
    decimals: 2,
    printed: 'high',
  },
];

const GLUCOSE: Analyte[] = [
  { code: 'GLU', name: '葡萄糖', unit: 'mmol/L', male: both(3.9, 6.1), female: both(3.9, 6.1), decimals: 2 },
];
const HBA1C: Analyte[] = [
  { code: 'HbA1c', name: '糖化血红蛋白', unit: '%', male: both(4.0, 6.0), female: both(4.0, 6.0), decimals: 1 },
];

/** Children (under 14 here) get a children's blood count. */
const CHILD_CBC: Record<string, [number, number]> = { WBC: [4.3, 11.3], HGB: [118, 156], PLT: [167, 453] };

/** Abnormal results a patient may have, one of which is picked per slot. */
const ABNORMAL: Array<{ code: string; direction: 'high' | 'low' | 'positive' }> = [
  { code: 'ALT', direction: 'high' },
  { code: 'TG', direction: 'high' },
  { code: 'LDL-C', direction: 'high' },
  { code: 'GLU', direction: 'high' },
  { code: 'UA', direction: 'high' },
  { code: 'HGB', direction: 'low' },
  { code: 'WBC', direction: 'high' },
  { code: 'PRO', direction: 'positive' },
];

function hash(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** The two demo hospitals where a patient has reports. */
export function demoHospitalsOf(idNumber: string): [string, string] {
  const h = hash(idNumber);
  const first = h % HOSPITAL_COUNT;
  const second = (first + 1 + ((h >>> 8) % (HOSPITAL_COUNT - 1))) % HOSPITAL_COUNT;
  return [hospitalCode(first), hospitalCode(second)];
}

const round = (v: number, decimals: number) => Number(v.toFixed(decimals));

/** Visit days: in the year before 2026-11-01, fixed per patient (reports never move). */
function visitAt(r: ReturnType<typeof prng>, daysBack: number, hour: number): string {
  const day = new Date(Date.UTC(2026, 10, 1) - daysBack * 86_400_000);
  return `${day.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}:00+08:00`;
}

export function demoReportsFor(code: string, idNumber: string): HisReport[] {
  const checked = checkIdNumber(idNumber, '2026-11-01');
  if (!checked.ok) return [];
  const [home, other] = demoHospitalsOf(idNumber);
  if (code !== home && code !== other) return [];
  const { sex, birthDate } = checked.info;
  const child = Number(birthDate.slice(0, 4)) > 2026 - 14;
  const r = prng(hash(`${code}/${idNumber}`));
  const pr = prng(hash(`abnormal/${idNumber}`));
  const abnormal = new Map<string, 'high' | 'low' | 'positive'>();
  while (abnormal.size < 3) {
    const a = pr.pick(ABNORMAL);
    abnormal.set(a.code, a.direction);
  }

  const lab = (a: Analyte, withRange = true): HisReportItem => {
    const [low, high] = (child && CHILD_CBC[a.code]) || (sex === 'male' ? a.male : a.female);
    const direction = abnormal.get(a.code);
    const span = high - low;
    const v =
      direction === 'high'
        ? high + span * (0.15 + r.next() * 0.4)
        : direction === 'low'
          ? low - span * (0.1 + r.next() * 0.2)
          : low + span * (0.2 + r.next() * 0.6);
    const item: HisReportItem = { code: a.code, name: a.name, value: String(round(v, a.decimals)) };
    if (a.unit) item.unit = a.unit;
    if (withRange) {
      const printed = a.printed ?? 'both';
      item.referenceRange =
        printed === 'high'
          ? { high, text: `<${high}` }
          : printed === 'low'
            ? { low, text: `>${low}` }
            : { low, high, text: `${low}-${high}` };
      if (direction === 'high') item.hospitalFlag = '↑';
      if (direction === 'low') item.hospitalFlag = '↓';
    }
    return item;
  };

  const seq = hash(idNumber).toString(36).toUpperCase();
  const base = (n: number, title: string, department: string, reportedAt: string) => ({
    code: `${code}-${seq}-${n}`,
    title,
    department,
    orderedBy: r.pick(['陈明', '李静', '王磊', '赵敏', '周华']),
    status: 'final' as const,
    reportedAt,
  });

  if (code === other) {
    const when = (h: number) => visitAt(r, 200 + (hash(idNumber) % 90), h);
    return [
      { ...base(1, '血常规', '内科', when(9)), type: 'lab', specimen: '全血', items: CBC.map((a) => lab(a, false)) },
      { ...base(2, '血脂四项', '内科', when(11)), type: 'lab', specimen: '血清', items: LIPIDS.map((a) => lab(a)) },
    ];
  }

  const when = (h: number) => visitAt(r, 10 + (hash(idNumber) % 60), h);
  const urine: HisReportItem[] = [
    ['PRO', '尿蛋白'],
    ['GLU-U', '尿葡萄糖'],
    ['BLD', '尿潜血'],
    ['LEU', '尿白细胞酯酶'],
    ['KET', '尿酮体'],
    ['NIT', '亚硝酸盐'],
  ].map(([c, name]) => ({
    code: c,
    name,
    value: abnormal.get(c) === 'positive' ? '+' : '阴性',
    referenceRange: { text: '阴性' },
  }));
  urine.push(
    {
      code: 'SG',
      name: '尿比重',
      value: String(round(1.01 + r.next() * 0.015, 3)),
      referenceRange: { low: 1.003, high: 1.03 },
    },
    {
      code: 'PH',
      name: '尿酸碱度',
      value: String(round(5.5 + r.next() * 1.5, 1)),
      referenceRange: { low: 4.5, high: 8 },
    },
  );
  return [
    { ...base(1, '血常规', '内科', when(9)), type: 'lab', specimen: '全血', items: CBC.map((a) => lab(a)) },
    { ...base(2, '肝功能', '内科', when(10)), type: 'lab', specimen: '血清', items: LIVER.map((a) => lab(a)) },
    { ...base(3, '肾功能', '内科', when(10)), type: 'lab', specimen: '血清', items: KIDNEY.map((a) => lab(a)) },
    { ...base(4, '血脂四项', '内科', when(10)), type: 'lab', specimen: '血清', items: LIPIDS.map((a) => lab(a)) },
    { ...base(5, '空腹血糖', '内科', when(9)), type: 'lab', specimen: '血浆', items: GLUCOSE.map((a) => lab(a)) },
    { ...base(6, '尿常规', '内科', when(11)), type: 'lab', specimen: '尿液', items: urine },
    {
      ...base(7, '胸部X线检查', '放射科', when(14)),
      type: 'exam',
      findings: '两肺纹理清晰，肺野内未见明显实质性病变。心影大小、形态未见异常。双侧膈面光整，肋膈角锐利。',
      impression: '心肺未见明显异常。',
    },
    // Not yet released by the laboratory: the platform must not show it.
    {
      ...base(8, '糖化血红蛋白', '内科', when(15)),
      status: 'preliminary',
      type: 'lab',
      specimen: '全血',
      items: HBA1C.map((a) => lab(a)),
    },
  ];
}
