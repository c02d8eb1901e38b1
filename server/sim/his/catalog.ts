import { SHANGHAI_DISTRICTS } from '../../../common/districts';
import type { DoctorTitle, HisDepartment, HisDoctor, HisHospitalProfile } from '../../src/his/types';

/**
 * Deterministic demo data for the HIS simulator: 38 fictitious tertiary
 * hospitals across Shanghai's districts, each with 8-20 departments and 2-8
 * doctors per department. The same seed always yields the same catalog.
 */

export const HOSPITAL_COUNT = 38;

/** mulberry32: small, fast, good enough for demo data. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
  };
}

const DISTRICTS = SHANGHAI_DISTRICTS;

const BRANDS = [
  '申江',
  '沪滨',
  '明德',
  '瑞康',
  '仁和',
  '华济',
  '同泽',
  '博爱',
  '安平',
  '嘉禾',
  '云济',
  '长和',
  '德馨',
  '浦泰',
  '东岳',
  '景和',
  '惠民',
  '永宁',
  '慈济',
  '清和',
  '泰和',
  '广济',
  '春晖',
  '平康',
  '济仁',
  '颐和',
  '康宁',
  '怀仁',
  '善德',
  '和平',
  '育英',
  '益寿',
  '宏济',
  '百川',
  '春和',
  '吉康',
  '长庚',
  '协和康',
] as const;

const KINDS = ['医院', '中心医院', '人民医院', '中医医院', '第一医院', '第二医院'] as const;

const ROADS = [
  '中山路',
  '淮海路',
  '延安路',
  '长乐路',
  '四平路',
  '漕溪路',
  '沪闵路',
  '浦建路',
  '曹杨路',
  '江湾路',
] as const;

export const DEPARTMENTS: ReadonlyArray<{ name: string; intro: string; specialty: string[] }> = [
  { name: '内科', intro: '常见内科疾病的诊断与治疗', specialty: ['发热待查', '慢性病管理', '内科常见病'] },
  { name: '外科', intro: '普通外科疾病与手术治疗', specialty: ['疝气', '甲状腺结节', '体表肿物'] },
  { name: '急诊科', intro: '24 小时急危重症救治', specialty: ['急危重症', '创伤救治', '中毒急救'] },
  { name: '儿科', intro: '儿童常见病、多发病诊治', specialty: ['小儿呼吸道感染', '小儿腹泻', '儿童生长发育'] },
  { name: '妇产科', intro: '妇科疾病、孕期保健与分娩', specialty: ['孕期保健', '妇科炎症', '子宫肌瘤'] },
  { name: '眼科', intro: '眼部疾病与视力矫正', specialty: ['白内障', '青光眼', '儿童近视'] },
  { name: '皮肤科', intro: '皮肤病与性病诊治', specialty: ['湿疹', '银屑病', '痤疮'] },
  { name: '口腔科', intro: '牙体牙髓、牙周及口腔修复', specialty: ['龋齿', '牙周病', '义齿修复'] },
  { name: '中医科', intro: '中医内科调理与针灸推拿', specialty: ['体质调理', '失眠', '颈肩腰腿痛'] },
  { name: '心内科', intro: '心血管疾病诊治', specialty: ['高血压', '冠心病', '心律失常'] },
  { name: '神经内科', intro: '脑血管病与神经系统疾病', specialty: ['脑卒中', '头痛', '帕金森病'] },
  { name: '消化内科', intro: '胃肠、肝胆胰疾病', specialty: ['胃炎', '消化道出血', '脂肪肝'] },
  { name: '呼吸内科', intro: '肺部与呼吸道疾病', specialty: ['慢阻肺', '哮喘', '肺结节'] },
  { name: '内分泌科', intro: '糖尿病、甲状腺等内分泌代谢病', specialty: ['糖尿病', '甲亢', '骨质疏松'] },
  { name: '骨科', intro: '骨关节与脊柱疾病', specialty: ['骨折', '腰椎间盘突出', '关节置换'] },
  { name: '泌尿外科', intro: '泌尿系统疾病', specialty: ['尿路结石', '前列腺增生', '泌尿系肿瘤'] },
  { name: '耳鼻喉科', intro: '耳、鼻、咽喉疾病', specialty: ['鼻炎', '中耳炎', '咽喉炎'] },
  { name: '肾内科', intro: '肾脏疾病与透析', specialty: ['慢性肾病', '肾炎', '血液透析'] },
  { name: '风湿免疫科', intro: '风湿与自身免疫病', specialty: ['类风湿关节炎', '痛风', '红斑狼疮'] },
  { name: '血液科', intro: '贫血与血液系统疾病', specialty: ['贫血', '白血病', '淋巴瘤'] },
  { name: '肿瘤科', intro: '肿瘤综合治疗', specialty: ['肺癌', '乳腺癌', '化疗'] },
  { name: '康复医学科', intro: '术后与神经康复', specialty: ['中风康复', '运动损伤', '术后康复'] },
];

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文辉玉兰萍红鹏飞斌宇浩凯晨欣怡佳琪雪梅晓东海波俊峰志国庆林燕丹颖蕾';

const TITLES: ReadonlyArray<[DoctorTitle, number]> = [
  ['chief_physician', 0.25],
  ['associate_chief_physician', 0.35],
  ['attending_physician', 0.4],
];

export function hospitalCode(index: number): string {
  return `SH${String(index + 1).padStart(3, '0')}`;
}

export interface SimHospital {
  profile: HisHospitalProfile;
  departments: HisDepartment[];
  doctors: HisDoctor[];
}

function hospitalName(index: number): string {
  return `上海${BRANDS[index % BRANDS.length]}${KINDS[(index * 5) % KINDS.length]}`;
}

export function generateHospital(index: number, seed = 20261126): SimHospital {
  const code = hospitalCode(index);
  const r = prng(seed + index * 7919);
  const district = DISTRICTS[index % DISTRICTS.length];
  const name = hospitalName(index);
  const profile: HisHospitalProfile = {
    code,
    name,
    level: r.next() < 0.8 ? 'tertiary_a' : 'tertiary_b',
    district,
    address: `上海市${district}${r.pick(ROADS)}${r.int(10, 2999)}号`,
    phone: `021-${r.int(5000, 6999)}${String(r.int(0, 9999)).padStart(4, '0')}`,
    intro: `${name}是一所集医疗、教学、科研于一体的三级综合医院（演示数据，非真实医院）。`,
  };

  // The first three departments (内科, 外科, 急诊科) are always present.
  const count = r.int(8, 20);
  const optional = DEPARTMENTS.slice(3)
    .map((d) => ({ d, key: r.next() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, count - 3)
    .map((x) => x.d);
  const chosen = [...DEPARTMENTS.slice(0, 3), ...optional];
  const departments: HisDepartment[] = [];
  const doctors: HisDoctor[] = [];
  chosen.forEach((dep, di) => {
    const depCode = `D${String(DEPARTMENTS.indexOf(dep) + 1).padStart(2, '0')}`;
    departments.push({
      code: depCode,
      name: dep.name,
      location: `门诊楼${r.int(1, 6)}楼${String.fromCharCode(65 + (di % 4))}区`,
      intro: dep.intro,
    });
    const n = r.int(2, 8);
    for (let k = 0; k < n; k++) {
      const roll = r.next();
      let acc = 0;
      const title = TITLES.find(([, w]) => (acc += w) >= roll)?.[0] ?? 'attending_physician';
      const given = r.pick([...GIVEN]) + (r.next() < 0.6 ? r.pick([...GIVEN]) : '');
      doctors.push({
        code: `${depCode}-${String(k + 1).padStart(2, '0')}`,
        departmentCode: depCode,
        name: r.pick([...SURNAMES]) + given,
        gender: r.next() < 0.5 ? 'male' : 'female',
        title,
        specialty: dep.specialty.filter(() => r.next() < 0.7).join('、') || dep.specialty[0],
        intro: `从事${dep.name}临床工作${r.int(5, 30)}年。`,
      });
    }
  });
  return { profile, departments, doctors };
}

export function generateHospitals(seed?: number): SimHospital[] {
  return Array.from({ length: HOSPITAL_COUNT }, (_, i) => generateHospital(i, seed));
}
