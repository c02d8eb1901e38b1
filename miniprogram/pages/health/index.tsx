import { useRef, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Input } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api, ApiError } from '../../api/client';
import { isSignedIn } from '../../api/session';
import type { HealthRecord, HealthRecordInput, MeasurementType, Patient } from '../../api/types';
import { useDialog } from '../../components/dialog';
import { Icon, type IconName } from '../../components/icon';
import { FormField } from '../../components/form-field';
import { StatusView } from '../../components/status-view';
import {
  FIELDS,
  GLUCOSE_TIMINGS,
  LEVEL_BADGE,
  TYPES,
  TYPE_LABELS,
  describeValues,
  numberChars,
  shortTime,
} from '../../lib/health';
import { refreshUnreadBadge } from '../../lib/notify';
import { useSingleFlight } from '../../lib/use-single-flight';
import './index.css';

const go = (url: string) => void Taro.navigateTo({ url });
/** Today in Shanghai, YYYY-MM-DD. */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

const LINKS: Array<{
  title: string;
  icon: IconName;
  text: string;
  url: (patientId: string) => string;
  public?: boolean;
}> = [
  {
    title: '趋势图',
    icon: 'health',
    text: '7/30/90天变化与指南参考范围',
    url: (p) => `/packages/health/trend/index?patientId=${p}`,
  },
  {
    title: '健康档案',
    icon: 'privacy',
    text: '过敏、慢病、用药与就诊时间线',
    url: (p) => `/packages/health/record/index?patientId=${p}`,
  },
  {
    title: '测量提醒',
    icon: 'time',
    text: '每天定时提醒测量血压、血糖等',
    url: (p) => `/packages/health/reminders/index?patientId=${p}`,
  },
  {
    title: '健康工具',
    icon: 'zone',
    text: 'BMI、每日热量、预产期等',
    url: () => '/packages/health/tools/index',
    public: true,
  },
  {
    title: '健康知识',
    icon: 'health',
    text: '高血压、糖尿病、儿童发热等科普',
    url: () => '/packages/health/articles/index',
    public: true,
  },
];

/** Entries to the health subpackage; without a patient only the public ones (tools, articles). */
function Links({ patientId }: { patientId?: string }) {
  return (
    <View className='card health__links'>
      {LINKS.filter((l) => patientId || l.public).map((l) => (
        <View key={l.title} className='health__item' onClick={() => go(l.url(patientId ?? ''))}>
          <View className='health__icon'>
            <Icon name={l.icon} size='lg' />
          </View>
          <View className='health__text'>
            <Text className='health__name'>{l.title}</Text>
            <Text className='muted'>{l.text}</Text>
          </View>
          <Icon name='more' size='sm' />
        </View>
      ))}
    </View>
  );
}

interface Loaded {
  patients: Patient[];
  records: HealthRecord[];
}

/** 健康: today's numbers, a quick form per measurement type, recent readings, and the health subpackage. */
export default function Health() {
  const [patientId, setPatientId] = useState<string>();
  const [data, setData] = useState<Loaded>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(false);
  const [type, setType] = useState<MeasurementType>('blood_pressure');
  const [values, setValues] = useState<Record<string, string>>({});
  const [timing, setTiming] = useState<'fasting' | 'after_meal_2h' | 'random'>('fasting');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<HealthRecord>();
  const { dialog, confirm } = useDialog();

  // The patient whose readings are on screen; an answer for one chosen before is dropped.
  const shown = useRef<string>();
  const load = async (chosen = patientId) => {
    if (!isSignedIn()) return;
    setLoading(true);
    setError(undefined);
    try {
      const patients = (await api.patients.list()).items;
      // One removed meanwhile (or another account signed in): back to 本人 or the first.
      const kept = patients.some((p) => p.id === chosen) ? chosen : undefined;
      const pid = kept ?? (patients.find((p) => p.relation === 'self') ?? patients[0])?.id;
      shown.current = pid;
      setPatientId(pid);
      const records = pid ? (await api.health.list({ patientId: pid, pageSize: 20 })).items : [];
      if (shown.current !== pid) return;
      setData({ patients, records });
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT_ERROR', '加载失败，请稍后重试'));
    } finally {
      setLoading(false);
    }
  };

  useDidShow(() => {
    void refreshUnreadBadge();
    void load();
  });

  const [save, saving] = useSingleFlight(async () => {
    if (!patientId) return;
    const problems: Record<string, string> = {};
    const v: Record<string, number> = {};
    for (const f of FIELDS[type]) {
      const raw = values[f.key]?.trim();
      if (!raw) {
        if (!f.optional) problems[f.key] = `请填写${f.label.replace(/（.*）/, '')}`;
        continue;
      }
      const n = Number(raw);
      if (!Number.isFinite(n)) problems[f.key] = '请输入数字';
      else v[f.key] = n;
    }
    setErrors(problems);
    if (Object.keys(problems).length) return;
    const body = {
      patientId,
      type,
      values: type === 'blood_glucose' ? { ...v, timing } : v,
      measuredAt: new Date().toISOString(),
    } as HealthRecordInput;
    try {
      const saved = await api.health.create(body);
      setResult(saved);
      setValues({});
      void load(patientId);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setResult(undefined);
      const fields = (err.details?.fields ?? []) as Array<{ path: string; message: string }>;
      // The server names the field (IMPLAUSIBLE_VALUE): its message goes under that field.
      const field = fields
        .map((f) => f.path.replace(/^body\.values\./, ''))
        .find((k) => FIELDS[type].some((f) => f.key === k));
      setErrors(field ? { [field]: err.message } : { form: err.message });
    }
  });

  const remove = async (r: HealthRecord) => {
    const yes = await confirm({
      title: '确认删除这条记录？',
      content: `${TYPE_LABELS[r.type]} ${describeValues(r, true)}（${shortTime(r.measuredAt)}），删除后无法恢复。`,
      confirmText: '确认删除',
      cancelText: '再想想',
      destructive: true,
    });
    if (!yes) return;
    await api.health.remove(r.id);
    if (result?.id === r.id) setResult(undefined);
    void load(patientId);
  };

  if (!isSignedIn()) {
    return (
      <View className='page health'>
        <View className='card health__intro'>
          <Text className='health__intro-title'>记录血压、血糖等健康数据</Text>
          <Text className='muted'>登录后可记录测量结果，按国家指南判断是否正常，并查看变化趋势。</Text>
        </View>
        <View className='actions'>
          <Button type='primary' size='large' block onClick={() => go('/pages/login/index')}>
            去登录
          </Button>
        </View>
        <Links />
      </View>
    );
  }

  if (error?.code === 'CONSENT_REQUIRED') {
    return (
      <View className='page health'>
        <View className='card health__intro'>
          <Text className='health__intro-title'>需要您的健康信息授权</Text>
          <Text className='muted'>{error.message}</Text>
        </View>
        <View className='actions'>
          <Button type='primary' size='large' block onClick={() => go('/pages/privacy/index')}>
            查看并授权
          </Button>
        </View>
      </View>
    );
  }

  const records = data?.records ?? [];
  const day = today();
  const latestToday = new Map<MeasurementType, HealthRecord>();
  for (const r of records)
    if (r.measuredAt.slice(0, 10) === day && !latestToday.has(r.type)) latestToday.set(r.type, r);

  return (
    <View className='page health'>
      {dialog}
      <StatusView loading={loading && !data} error={error} onRetry={() => void load()} />
      {data && !data.patients.length && (
        <View className='card health__intro'>
          <Text className='health__intro-title'>请先添加就诊人</Text>
          <Text className='muted'>健康数据按就诊人分别记录。</Text>
          <View className='actions'>
            <Button type='primary' size='large' block onClick={() => go('/pages/patient-edit/index')}>
              添加就诊人
            </Button>
          </View>
        </View>
      )}
      {data && patientId && (
        <>
          {data.patients.length > 1 && (
            <View className='health__chips' role='radiogroup' aria-label='就诊人'>
              {data.patients.map((p) => (
                <View
                  key={p.id}
                  role='radio'
                  aria-checked={p.id === patientId}
                  className={`health__chip ${p.id === patientId ? 'is-active' : ''}`}
                  onClick={() => {
                    setResult(undefined);
                    void load(p.id);
                  }}
                >
                  {p.name}
                </View>
              ))}
            </View>
          )}

          <Text className='section-title'>今日数据</Text>
          <View className='card health__today'>
            {TYPES.map((t) => {
              const r = latestToday.get(t);
              return (
                <View key={t} className='health__today-cell'>
                  <Text className='muted'>{TYPE_LABELS[t]}</Text>
                  <Text className='health__today-value'>{r ? describeValues(r).split(' · ')[0] : '未测'}</Text>
                  {r && <Text className={LEVEL_BADGE[r.classification.level]}>{r.classification.label}</Text>}
                </View>
              );
            })}
          </View>

          <Text className='section-title'>记录测量</Text>
          <View className='card health__form'>
            <View className='health__types' role='radiogroup' aria-label='测量类型'>
              {TYPES.map((t) => (
                <View
                  key={t}
                  role='radio'
                  aria-checked={t === type}
                  className={`health__chip ${t === type ? 'is-active' : ''}`}
                  onClick={() => {
                    setType(t);
                    setErrors({});
                    setResult(undefined);
                  }}
                >
                  {TYPE_LABELS[t]}
                </View>
              ))}
            </View>
            {type === 'blood_glucose' && (
              <View className='health__types' role='radiogroup' aria-label='测量时间'>
                {GLUCOSE_TIMINGS.map((g) => (
                  <View
                    key={g.key}
                    role='radio'
                    aria-checked={g.key === timing}
                    className={`health__chip ${g.key === timing ? 'is-active' : ''}`}
                    onClick={() => setTiming(g.key)}
                  >
                    {g.label}
                  </View>
                ))}
              </View>
            )}
            {FIELDS[type].map((f) => (
              <FormField key={`${type}-${f.key}`} label={`${f.label}（${f.unit}）`} error={errors[f.key]}>
                <Input
                  className='health__input'
                  type={f.decimals ? 'digit' : 'number'}
                  value={values[f.key] ?? ''}
                  placeholder={f.optional ? '选填' : '请输入'}
                  aria-label={f.label}
                  onInput={(e) => {
                    const value = numberChars(f.decimals)(e.detail.value);
                    setValues((s) => ({ ...s, [f.key]: value }));
                    setErrors((s) => ({ ...s, [f.key]: '', form: '' }));
                    return value;
                  }}
                />
              </FormField>
            ))}
            {errors.form && (
              <View className='health__error' role='alert'>
                {errors.form}
              </View>
            )}
            <Button type='primary' size='large' block loading={saving} onClick={() => void save()}>
              保存
            </Button>
          </View>

          {result && (
            <View
              className={`card health__result health__result--${result.classification.level}`}
              role='status'
              aria-live='polite'
            >
              <View className='name-row'>
                <Text className='name'>{describeValues(result)}</Text>
                <Text className={LEVEL_BADGE[result.classification.level]}>{result.classification.label}</Text>
              </View>
              <Text className='health__advice'>{result.classification.advice}</Text>
            </View>
          )}

          <Links patientId={patientId} />

          <Text className='section-title'>最近记录</Text>
          {records.length ? (
            <View className='card health__history'>
              {records.map((r) => (
                <View key={r.id} className='health__row'>
                  <View className='health__row-main'>
                    <Text className='health__row-title'>
                      {TYPE_LABELS[r.type]} {describeValues(r, true)}
                    </Text>
                    <Text className='muted'>{shortTime(r.measuredAt)}</Text>
                  </View>
                  <View className='health__row-side'>
                    <Text className={LEVEL_BADGE[r.classification.level]}>{r.classification.label}</Text>
                    <Text className='health__delete' onClick={() => void remove(r)}>
                      删除
                    </Text>
                  </View>
                </View>
              ))}
            </View>
          ) : (
            <Text className='empty'>还没有记录，测量后在上方填写即可。</Text>
          )}
        </>
      )}
    </View>
  );
}
