import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Input, Textarea } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api, ApiError } from '../../../api/client';
import type { HealthProfile, HealthProfileInput } from '../../../api/types';
import { useRequest } from '../../../api/use-request';
import { FormField } from '../../../components/form-field';
import { StatusView } from '../../../components/status-view';
import { LEVEL_BADGE, numberChars, shortTime } from '../../../lib/health';
import { useSingleFlight } from '../../../lib/use-single-flight';
import '../health.css';

const BLOOD_TYPES: Array<{ key: HealthProfile['bloodType']; label: string }> = [
  { key: 'a', label: 'A型' },
  { key: 'b', label: 'B型' },
  { key: 'ab', label: 'AB型' },
  { key: 'o', label: 'O型' },
  { key: 'unknown', label: '不详' },
];

type ListKey = 'allergies' | 'chronicConditions' | 'medications' | 'surgeries' | 'familyHistory';
const LISTS: Array<{ key: ListKey; label: string; placeholder: string }> = [
  { key: 'allergies', label: '过敏史', placeholder: '如：青霉素、海鲜（每行一项）' },
  { key: 'chronicConditions', label: '慢性病', placeholder: '如：高血压、2型糖尿病' },
  { key: 'medications', label: '正在服用的药物', placeholder: '如：氨氯地平 5mg 每日一次' },
  { key: 'surgeries', label: '手术史', placeholder: '如：阑尾切除术（2010年）' },
  { key: 'familyHistory', label: '家族史', placeholder: '如：父亲 高血压' },
];

const KIND_LABEL = { appointment: '预约', report: '报告', measurement: '测量' } as const;
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** 健康档案: the patient's own record (only the account that owns the patient sees it) and a timeline. */
export default function RecordPage() {
  const { patientId = '' } = useRouter().params;
  const profile = useRequest(() => api.health.profile(patientId), [patientId]);
  const timeline = useRequest(() => api.health.timeline(patientId), [patientId]);
  const [height, setHeight] = useState('');
  const [bloodType, setBloodType] = useState<HealthProfile['bloodType']>('unknown');
  const [texts, setTexts] = useState<Record<ListKey, string>>({
    allergies: '',
    chronicConditions: '',
    medications: '',
    surgeries: '',
    familyHistory: '',
  });
  const [error, setError] = useState<string>();

  useEffect(() => {
    const p = profile.data;
    if (!p) return;
    setHeight(p.heightCm === null ? '' : String(p.heightCm));
    setBloodType(p.bloodType);
    setTexts({
      allergies: p.allergies.join('\n'),
      chronicConditions: p.chronicConditions.join('\n'),
      medications: p.medications.join('\n'),
      surgeries: p.surgeries.join('\n'),
      familyHistory: p.familyHistory.join('\n'),
    });
  }, [profile.data]);

  const [save, saving] = useSingleFlight(async () => {
    setError(undefined);
    const body: HealthProfileInput = {
      patientId,
      heightCm: height ? Number(height) : null,
      bloodType,
      allergies: lines(texts.allergies),
      chronicConditions: lines(texts.chronicConditions),
      medications: lines(texts.medications),
      surgeries: lines(texts.surgeries),
      familyHistory: lines(texts.familyHistory),
    };
    try {
      await api.health.saveProfile(body);
      void Taro.showToast({ title: '已保存', icon: 'success' });
      timeline.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : '保存失败，请稍后再试');
    }
  });

  return (
    <View className='page hp'>
      <StatusView loading={profile.loading} error={profile.error} onRetry={profile.reload} />
      {profile.data && (
        <>
          <Text className='muted hp__intro'>健康档案仅您本人可见，所有内容加密保存。</Text>
          <View className='card'>
            <FormField label='身高（cm）'>
              <Input
                className='hp__input'
                type='digit'
                value={height}
                placeholder='用于计算BMI'
                aria-label='身高'
                onInput={(e) => {
                  const v = numberChars(true)(e.detail.value);
                  setHeight(v);
                  return v;
                }}
              />
            </FormField>
            <FormField label='血型'>
              <View className='hp__chips' role='radiogroup' aria-label='血型'>
                {BLOOD_TYPES.map((b) => (
                  <View
                    key={b.key}
                    role='radio'
                    aria-checked={b.key === bloodType}
                    className={`hp__chip ${b.key === bloodType ? 'is-active' : ''}`}
                    onClick={() => setBloodType(b.key)}
                  >
                    {b.label}
                  </View>
                ))}
              </View>
            </FormField>
            {LISTS.map((l) => (
              <FormField key={l.key} label={l.label}>
                <Textarea
                  className='hp__textarea'
                  value={texts[l.key]}
                  placeholder={l.placeholder}
                  maxlength={1000}
                  autoHeight
                  aria-label={l.label}
                  onInput={(e) => setTexts((t) => ({ ...t, [l.key]: e.detail.value }))}
                />
              </FormField>
            ))}
            {error && (
              <View className='hp__error' role='alert'>
                {error}
              </View>
            )}
            <Button type='primary' size='large' block loading={saving} onClick={() => void save()}>
              保存档案
            </Button>
          </View>
        </>
      )}
      <Text className='section-title'>健康时间线</Text>
      <StatusView
        loading={timeline.loading}
        error={timeline.error}
        empty={timeline.data?.items.length === 0}
        emptyText='暂无预约、报告或测量记录'
      />
      {timeline.data && timeline.data.items.length > 0 && (
        <View className='card hp__timeline'>
          {timeline.data.items.map((e) => (
            <View key={`${e.kind}-${e.id}`} className='hp__event'>
              <Text className='badge badge--muted'>{KIND_LABEL[e.kind]}</Text>
              <View className='hp__event-main'>
                <Text className='hp__event-title'>{e.title}</Text>
                <Text className='muted'>
                  {shortTime(e.at)}
                  {e.detail && e.kind !== 'measurement' ? ` · ${e.detail}` : ''}
                </Text>
                {e.level && e.detail && (
                  <View>
                    <Text className={LEVEL_BADGE[e.level]}>{e.detail}</Text>
                  </View>
                )}
              </View>
            </View>
          ))}
        </View>
      )}
    </View>
  );
}
