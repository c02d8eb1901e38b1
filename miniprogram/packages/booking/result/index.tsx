import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import { StatusView } from '../../../components/status-view';
import { AppointmentCard } from '../appointment-card';
import '../booking.css';

export default function Result() {
  const id = useRouter().params.id ?? '';
  const apt = useRequest(() => api.appointments.get(id), [id]);
  const a = apt.data;
  return (
    <View className='page'>
      <StatusView loading={apt.loading} error={apt.error} onRetry={apt.reload} />
      {a && (
        <View>
          <View className='card apt__done'>
            <Text className='apt__done-title'>预约成功</Text>
            <Text className='muted'>预约码（取号时出示）</Text>
            <Text className='apt__code'>{a.bookingCode}</Text>
          </View>
          <AppointmentCard a={a} />
          <View className='apt__actions'>
            <Button
              type='primary'
              size='large'
              block
              onClick={() => void Taro.redirectTo({ url: '/packages/booking/appointments/index' })}
            >
              查看我的预约
            </Button>
          </View>
        </View>
      )}
    </View>
  );
}
