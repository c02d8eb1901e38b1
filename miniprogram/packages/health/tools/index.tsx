import { useState } from 'react';
import { View, Text, Input } from '@tarojs/components';
import {
  ACTIVITY_LABELS,
  BMI_CLASS_LABELS,
  bmi,
  bmiClass,
  dailyEnergy,
  dueDate,
  idealWeightRange,
  waistToHeight,
  type ActivityLevel,
} from '../../../../common/health-tools';
import { FormField } from '../../../components/form-field';
import { numberChars } from '../../../lib/health';
import '../health.css';

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const pos = (s: string) => (Number(s) > 0 ? Number(s) : undefined);

function NumberInput(props: { label: string; unit: string; value: string; onChange: (v: string) => void }) {
  return (
    <FormField label={`${props.label}（${props.unit}）`}>
      <Input
        className='hp__input'
        type='digit'
        value={props.value}
        placeholder='请输入'
        aria-label={props.label}
        onInput={(e) => {
          const v = numberChars(true)(e.detail.value);
          props.onChange(v);
          return v;
        }}
      />
    </FormField>
  );
}

function Chips<T extends string>(p: {
  label: string;
  items: Array<{ key: T; label: string }>;
  value: T;
  onChange: (v: T) => void;
}) {
  return (
    <FormField label={p.label}>
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
    </FormField>
  );
}

/** 健康工具: BMI and ideal weight, daily energy (Mifflin-St Jeor), 预产期 and 孕周, waist-to-height ratio. */
export default function ToolsPage() {
  const [height, setHeight] = useState('');
  const [weight, setWeight] = useState('');
  const [age, setAge] = useState('');
  const [waist, setWaist] = useState('');
  const [sex, setSex] = useState<'male' | 'female'>('female');
  const [activity, setActivity] = useState<ActivityLevel>('light');
  const [lmp, setLmp] = useState('');

  const h = pos(height);
  const w = pos(weight);
  const a = pos(age);
  const wa = pos(waist);
  const b = h && w ? bmi(w, h) : undefined;
  const ideal = h ? idealWeightRange(h) : undefined;
  const energy = h && w && a ? dailyEnergy({ sex, weightKg: w, heightCm: h, age: a, activity }) : undefined;
  const whr = h && wa ? waistToHeight(wa, h) : undefined;
  let due: ReturnType<typeof dueDate> | undefined;
  try {
    due = /^\d{4}-\d{2}-\d{2}$/.test(lmp) && lmp <= today() ? dueDate(lmp, today()) : undefined;
  } catch {
    due = undefined;
  }

  return (
    <View className='page hp'>
      <Text className='muted hp__intro'>计算结果仅供参考，不能代替医生的诊断。</Text>
      <Text className='section-title'>身体数据</Text>
      <View className='card'>
        <Chips
          label='性别'
          items={[
            { key: 'female', label: '女' },
            { key: 'male', label: '男' },
          ]}
          value={sex}
          onChange={setSex}
        />
        <NumberInput label='身高' unit='cm' value={height} onChange={setHeight} />
        <NumberInput label='体重' unit='kg' value={weight} onChange={setWeight} />
        <NumberInput label='年龄' unit='岁' value={age} onChange={setAge} />
        <NumberInput label='腰围' unit='cm' value={waist} onChange={setWaist} />
      </View>

      <Text className='section-title'>BMI 与理想体重</Text>
      <View className='card hp__result'>
        {b !== undefined ? (
          <Text className='hp__big'>
            BMI {b.toFixed(1)} · {BMI_CLASS_LABELS[bmiClass(b)]}
          </Text>
        ) : (
          <Text className='muted'>填写身高和体重后显示</Text>
        )}
        {ideal && (
          <Text>
            理想体重 {ideal.minKg}–{ideal.maxKg} kg（BMI 18.5–23.9，WS/T 428）
          </Text>
        )}
      </View>

      <Text className='section-title'>每日能量需要</Text>
      <View className='card hp__result'>
        <Chips
          label='活动水平'
          items={(Object.keys(ACTIVITY_LABELS) as ActivityLevel[]).map((k) => ({ key: k, label: ACTIVITY_LABELS[k] }))}
          value={activity}
          onChange={setActivity}
        />
        {energy ? (
          <>
            <Text className='hp__big'>约 {energy.kcal} 千卡/天</Text>
            <Text className='muted'>
              基础代谢 {energy.bmr} 千卡 × 活动系数 {energy.factor}（Mifflin-St Jeor 公式）
            </Text>
          </>
        ) : (
          <Text className='muted'>填写身高、体重和年龄后显示</Text>
        )}
      </View>

      <Text className='section-title'>腰围身高比</Text>
      <View className='card hp__result'>
        {whr ? (
          <Text className='hp__big'>
            {whr.ratio.toFixed(2)} · {whr.atRisk ? '≥0.5，提示中心型肥胖风险' : '<0.5，在正常范围'}
          </Text>
        ) : (
          <Text className='muted'>填写身高和腰围后显示</Text>
        )}
      </View>

      <Text className='section-title'>预产期与孕周</Text>
      <View className='card hp__result'>
        <FormField label='末次月经第一天（YYYY-MM-DD）'>
          <Input
            className='hp__input'
            type='text'
            value={lmp}
            placeholder='如 2026-05-01'
            aria-label='末次月经第一天'
            onInput={(e) => setLmp(e.detail.value.replace(/[^\d-]/g, '').slice(0, 10))}
          />
        </FormField>
        {due && 'weeks' in due ? (
          <>
            <Text className='hp__big'>预产期 {due.dueDate}</Text>
            <Text>
              今天孕 {due.weeks} 周 {due.days} 天{due.daysLeft! >= 0 ? `，距预产期还有 ${due.daysLeft} 天` : ''}
            </Text>
            <Text className='muted'>按内格莱法则（末次月经 + 280 天）推算，以医院B超核对为准。</Text>
          </>
        ) : (
          <Text className='muted'>填写日期后显示</Text>
        )}
      </View>
    </View>
  );
}
