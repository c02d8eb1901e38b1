import Taro from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api } from '../../api/client';
import type { Appointment } from '../../api/types';
import { useRequest } from '../../api/use-request';
import { hhmm } from '../../constants/labels';
import { useSingleFlight } from '../../lib/use-single-flight';

const queuePage = (id: string) => `/packages/visit/queue/index?id=${id}`;

/** 签到 on the appointment page: the button while the window is open, the window's times otherwise, then 查看排队. */
export function CheckInPanel({ a, onDone }: { a: Appointment; onDone: () => void }) {
  const w = useRequest(() => api.visit.checkInWindow(a.id), [a.id, a.status]);
  const [checkIn, busy] = useSingleFlight(async () => {
    try {
      await api.visit.checkIn(a.id);
      void Taro.showToast({ title: '签到成功', icon: 'none' });
      onDone();
      void Taro.navigateTo({ url: queuePage(a.id) });
    } catch {
      w.reload(); // the client showed the reason (e.g. 已超过签到时间)
    }
  });
  const s = w.data;
  if (!s || s.state === 'not_applicable') return null;
  if (s.state === 'checked_in')
    return (
      <View className='actions'>
        <Button size='large' block type='primary' onClick={() => void Taro.navigateTo({ url: queuePage(a.id) })}>
          查看排队叫号
        </Button>
      </View>
    );
  return (
    <View className='card apt__checkin'>
      <Text className='apt__visit-title'>到院签到</Text>
      <Text className='muted'>
        签到时间：就诊当天 {hhmm(s.opensAt)} - {hhmm(s.closesAt)}
        {s.state === 'not_open' ? '，尚未开始' : s.state === 'closed' ? '，已截止，请到医院服务台咨询' : ''}
      </Text>
      {s.state === 'open' && (
        <View className='actions'>
          <Button size='large' block type='primary' loading={busy} onClick={() => void checkIn()}>
            我已到院，签到
          </Button>
        </View>
      )}
    </View>
  );
}
