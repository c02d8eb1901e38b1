import { useEffect, useMemo, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api, ApiError } from '../../../api/client';
import { isSignedIn } from '../../../api/session';
import { useRequest } from '../../../api/use-request';
import {
  PERIOD_LABEL,
  RELATION_LABEL,
  SLOT_LEVEL_LABEL,
  TITLE_LABEL,
  dayLabel,
  hhmm,
  yuan,
} from '../../../constants/labels';
import { useDialog } from '../../../components/dialog';
import { StatusView } from '../../../components/status-view';
import { askToSubscribe, preloadSubscribeTemplates } from '../../../lib/notify';
import { useSingleFlight } from '../../../lib/use-single-flight';
import './index.css';

const newKey = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

/** Choose 就诊人, see fee and rules, then book (or join the waitlist of a full slot). */
export default function Confirm() {
  const { slotId = '', doctorId = '', waitlist } = useRouter().params;
  const joining = waitlist === '1';
  const doctor = useRequest(() => api.doctors.get(doctorId), [doctorId]);
  const slots = useRequest(() => api.doctors.slots(doctorId), [doctorId]);
  const patients = useRequest(() => (isSignedIn() ? api.patients.list() : Promise.resolve(null)), []);
  const [chosen, setChosen] = useState<string>();
  const { dialog, alert } = useDialog();
  // One key per visit to this page: retries of the same tap never book twice.
  const key = useMemo(newKey, []);
  const slot = slots.data?.items.find((s) => s.id === slotId);
  const bookable = patients.data?.items.filter((p) => p.canBook) ?? [];
  // With one patient who can book there is nothing to choose.
  const patientId = chosen ?? (bookable.length === 1 ? bookable[0].id : undefined);

  useEffect(preloadSubscribeTemplates, []);

  const [submit, busy] = useSingleFlight(async () => {
    if (!patientId) {
      void Taro.showToast({ title: '请选择就诊人', icon: 'none' });
      return;
    }
    // In the tap itself (WeChat's rule): may we tell them about this booking later?
    await askToSubscribe(
      joining ? ['waitlist_granted', 'schedule_changed'] : ['booking_confirmed', 'schedule_changed', 'visit_reminder'],
    );
    try {
      if (joining) {
        await api.waitlist.join(slotId, patientId);
        void Taro.redirectTo({ url: '/packages/booking/appointments/index?tab=waitlist' });
      } else {
        const apt = await api.appointments.create(slotId, patientId, key);
        void Taro.redirectTo({ url: `/packages/booking/result/index?id=${apt.id}` });
      }
    } catch (err) {
      if (err instanceof ApiError)
        await alert({ title: joining ? '未能加入候补' : '未能预约', content: err.message, confirmText: '知道了' });
    }
  });

  if (!isSignedIn()) {
    return (
      <View className='page'>
        <Text className='empty'>请先登录后再预约</Text>
        <View className='actions'>
          <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: '/pages/login/index' })}>
            去登录
          </Button>
        </View>
      </View>
    );
  }

  const d = doctor.data;
  return (
    <View className='page confirm'>
      <StatusView
        loading={slots.loading || doctor.loading}
        error={slots.error ?? doctor.error}
        onRetry={slots.reload}
      />
      {d && slot && (
        <View className='card'>
          <View className='name-row'>
            <Text className='title'>{d.name}</Text>
            <Text className='badge'>{TITLE_LABEL[d.title]}</Text>
          </View>
          <Text className='line'>
            {d.hospital.name} · {d.department.name}
          </Text>
          <Text className='line confirm__when'>
            {dayLabel(slot.date)} {PERIOD_LABEL[slot.period]} {hhmm(slot.startAt)}-{hhmm(slot.endAt)}
          </Text>
          <Text className='line'>
            {SLOT_LEVEL_LABEL[slot.level]} · 挂号费 <Text className='confirm__fee'>{yuan(slot.feeFen)}</Text>
            （到院支付）
          </Text>
        </View>
      )}
      <Text className='section-title'>选择就诊人</Text>
      {patients.data?.items.map((p) => (
        <View
          key={p.id}
          className={`card confirm__patient ${patientId === p.id ? 'is-active' : ''} ${p.canBook ? '' : 'is-disabled'}`}
          onClick={() => p.canBook && setChosen(p.id)}
          role='radio'
        >
          <View className='confirm__radio' />
          <View className='confirm__who'>
            <View className='name-row'>
              <Text className='name'>{p.name}</Text>
              <Text className='badge'>{RELATION_LABEL[p.relation]}</Text>
            </View>
            <Text className='muted line'>身份证 {p.idNumber}</Text>
            {!p.canBook && <Text className='confirm__warn'>未通过实名认证，暂不能预约</Text>}
          </View>
        </View>
      ))}
      {patients.data && patients.data.items.length === 0 && (
        <View className='actions'>
          <Text className='muted'>还没有就诊人</Text>
          <Button size='large' block onClick={() => void Taro.navigateTo({ url: '/pages/patient-edit/index' })}>
            添加就诊人
          </Button>
        </View>
      )}
      <View className='card confirm__rules'>
        <Text className='confirm__rules-title'>预约须知</Text>
        <Text className='muted line'>1. 请携带就诊人身份证或医保卡，按预约时段到院取号。</Text>
        <Text className='muted line'>2. 就诊前2小时可在“我的预约”中取消，逾期不能取消。</Text>
        <Text className='muted line'>3. 90天内爽约3次，将暂停预约90天。</Text>
        {joining && <Text className='muted line'>4. 候补按先后顺序，有人退号时自动为您预约并通知您。</Text>}
      </View>
      <View className='actions'>
        <Button type='primary' size='large' block loading={busy} disabled={!slot} onClick={() => void submit()}>
          {joining ? '加入候补' : '确认预约'}
        </Button>
      </View>
      {dialog}
    </View>
  );
}
