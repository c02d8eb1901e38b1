import type { Doctor, HospitalSummary, Patient, Relation } from '../api/types';

export const LEVEL_LABEL: Record<HospitalSummary['level'], string> = {
  tertiary_a: '三级甲等',
  tertiary_b: '三级乙等',
};

export const TITLE_LABEL: Record<Doctor['title'], string> = {
  chief_physician: '主任医师',
  associate_chief_physician: '副主任医师',
  attending_physician: '主治医师',
};

/** Shanghai's 16 districts, for the hospital filter. */
export const DISTRICTS = [
  '黄浦区',
  '徐汇区',
  '长宁区',
  '静安区',
  '普陀区',
  '虹口区',
  '杨浦区',
  '闵行区',
  '宝山区',
  '嘉定区',
  '浦东新区',
  '金山区',
  '松江区',
  '青浦区',
  '奉贤区',
  '崇明区',
] as const;

export const RELATION_LABEL: Record<Relation, string> = {
  self: '本人',
  spouse: '配偶',
  parent: '父母',
  child: '子女',
  other: '其他',
};

export const VERIFICATION_LABEL: Record<Patient['verification']['status'], string> = {
  verified: '已实名',
  pending: '认证中',
  rejected: '认证未通过',
};
