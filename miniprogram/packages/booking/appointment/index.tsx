import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import { StatusView } from '../../../components/status-view';
import { AppointmentCard } from '../appointment-card';
import '../booking.css';

/** One appointment with its booking code and, before the cut-off, a cancel button. */
export default function AppointmentPage() {
  const id = useRouter().params.id ?? '';
  const apt = useRequest(() => api.appointments.get(id), [id]);
  const a = apt.data;

  const cancel = async () => {
    const { confirm } = await Taro.showModal({
      title: '取消预约',
      content: '确定取消这个预约吗？取消后号源将释放给其他患者。',
    });
    if (!confirm) return;
    await api.appointments.cancel(id);
    void Taro.showToast({ title: '已取消', icon: 'none' });
    apt.reload();
  };

  return (
    <View className='page'>
      <StatusView loading={apt.loading} error={apt.error} onRetry={apt.reload} />
      {a && (
        <View>
          {a.status === 'booked' && (
            <View className='card apt__done'>
              <Text className='muted'>预约码（取号时出示）</Text>
              <Text className='apt__code'>{a.bookingCode}</Text>
            </View>
          )}
          <AppointmentCard a={a} />
          {a.status === 'booked' && (
            <View className='apt__actions'>
              <Text className='muted apt__line'>
                退号截止：{a.cancelDeadline.slice(0, 10)} {a.cancelDeadline.slice(11, 16)}
              </Text>
              {a.cancellable && (
                <Button size='large' block onClick={cancel}>
                  取消预约
                </Button>
              )}
            </View>
          )}
        </View>
      )}
    </View>
  );
}
