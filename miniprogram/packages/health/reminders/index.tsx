import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Picker } from '@tarojs/components';
import { Button, Switch } from '@nutui/nutui-react-taro';
import { api, ApiError } from '../../../api/client';
import type { HealthRemindersInput, MeasurementType } from '../../../api/types';
import { useRequest } from '../../../api/use-request';
import { useDialog } from '../../../components/dialog';
import { FormField } from '../../../components/form-field';
import { StatusView } from '../../../components/status-view';
import { TYPES, TYPE_LABELS } from '../../../lib/health';
import { askToSubscribe, preloadSubscribeTemplates } from '../../../lib/notify';
import { useSingleFlight } from '../../../lib/use-single-flight';
import '../health.css';

type Item = HealthRemindersInput['items'][number];
/** The server's limit (health/reminder-schemas.ts MAX_REMINDERS). */
const MAX = 6;

/** 测量提醒: per patient, what to measure at which time of day; sent through 消息 like any notice. */
export default function RemindersPage() {
  const { patientId = '' } = useRouter().params;
  const loaded = useRequest(() => api.health.reminders(patientId), [patientId]);
  const [items, setItems] = useState<Item[]>();
  const [type, setType] = useState<MeasurementType>('blood_pressure');
  const [time, setTime] = useState('08:00');
  const [error, setError] = useState<string>();
  const { dialog, confirm } = useDialog();
  useEffect(preloadSubscribeTemplates, []);
  useEffect(
    () => setItems(loaded.data?.items.map(({ type: t, time: c, enabled }) => ({ type: t, time: c, enabled }))),
    [loaded.data],
  );

  const change = (next: Item[]) => {
    setError(undefined);
    setItems(next);
  };
  const add = () => {
    if (!items) return;
    if (items.some((r) => r.type === type && r.time === time)) return setError('已有相同的提醒');
    if (items.length >= MAX) return setError(`最多设置${MAX}个测量提醒`);
    change([...items, { type, time, enabled: true }].sort((a, b) => a.time.localeCompare(b.time)));
  };
  const remove = async (i: number) => {
    const r = items![i];
    const yes = await confirm({
      title: '删除这个提醒？',
      content: `每天 ${r.time} 测量${TYPE_LABELS[r.type]}`,
      confirmText: '删除提醒',
      cancelText: '再想想',
      destructive: true,
    });
    if (yes) change(items!.filter((_, j) => j !== i));
  };
  const [save, saving] = useSingleFlight(async () => {
    if (!items) return;
    // In the tap itself (WeChat's rule): may the next reminder come as a WeChat message?
    await askToSubscribe(['measure_reminder']);
    try {
      const saved = await api.health.saveReminders({ patientId, items });
      setItems(saved.items.map(({ type: t, time: c, enabled }) => ({ type: t, time: c, enabled })));
      void Taro.showToast({ title: '已保存', icon: 'success' });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : '保存失败，请稍后再试');
    }
  });

  return (
    <View className='page hp'>
      <StatusView loading={loaded.loading} error={loaded.error} onRetry={loaded.reload} />
      <Text className='muted hp__intro'>
        到点后通过“消息”提醒测量（按消息设置中的微信、短信方式），提醒中不含任何测量数值。
      </Text>
      {items && (
        <>
          <Text className='section-title'>我的提醒</Text>
          <View className='card'>
            {!items.length && <Text className='muted'>还没有提醒，可在下方添加。</Text>}
            {items.map((r, i) => (
              <View key={`${r.type}@${r.time}`} className='hp__reminder'>
                <View className='hp__reminder-text'>
                  <Text className='hp__reminder-time'>{r.time}</Text>
                  <Text>测量{TYPE_LABELS[r.type]}</Text>
                </View>
                <Switch
                  checked={r.enabled}
                  onChange={(on: boolean) => change(items.map((x, j) => (j === i ? { ...x, enabled: on } : x)))}
                  aria-label={`${r.time} 测量${TYPE_LABELS[r.type]}`}
                />
                <Text className='hp__reminder-remove' onClick={() => void remove(i)}>
                  删除
                </Text>
              </View>
            ))}
          </View>

          <Text className='section-title'>添加提醒</Text>
          <View className='card'>
            <FormField label='测量项目'>
              <View className='hp__chips' role='radiogroup' aria-label='测量项目'>
                {TYPES.map((t) => (
                  <View
                    key={t}
                    role='radio'
                    aria-checked={t === type}
                    className={`hp__chip ${t === type ? 'is-active' : ''}`}
                    onClick={() => setType(t)}
                  >
                    {TYPE_LABELS[t]}
                  </View>
                ))}
              </View>
            </FormField>
            <FormField label='每天提醒时间（北京时间）'>
              <Picker mode='time' value={time} onChange={(e) => setTime(String(e.detail.value))}>
                <View className='hp__input hp__picker'>
                  <Text>{time}</Text>
                </View>
              </Picker>
            </FormField>
            <Button block onClick={add}>
              添加
            </Button>
          </View>

          <Text className='hp__error' aria-live='polite'>
            {error ?? ''}
          </Text>
          <View className='actions'>
            <Button type='primary' size='large' block loading={saving} onClick={() => void save()}>
              保存提醒
            </Button>
          </View>
        </>
      )}
      {dialog}
    </View>
  );
}
