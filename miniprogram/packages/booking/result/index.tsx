import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import { Icon } from '../../../components/icon';
import { StatusView } from '../../../components/status-view';
import { AppointmentCard } from '../appointment-card';
import { BookingCode, VisitDetails } from '../visit-info';
import '../booking.css';

/** After booking: the code to show at the hospital, where to go, and two ways on (my appointments, home). */
export default function Result() {
  const id = useRouter().params.id ?? '';
  const apt = useRequest(() => api.appointments.get(id), [id]);
  const a = apt.data;
  const hospital = useRequest(
    () => (a ? api.hospitals.get(a.hospital.id) : Promise.resolve(undefined)),
    [a?.hospital.id],
  );
  return (
    <View className='page'>
      <StatusView loading={apt.loading} error={apt.error} onRetry={apt.reload} />
      {a && (
        <View>
          <View className='card apt__done'>
            <View className='apt__done-head'>
              <Icon name='success' size='xl' className='apt__done-icon' />
              <Text className='apt__done-title'>预约成功</Text>
            </View>
            <BookingCode code={a.bookingCode} />
          </View>
          <AppointmentCard a={a} />
          <VisitDetails a={a} hospital={hospital.data} />
          <View className='actions'>
            <Button
              type='primary'
              size='large'
              block
              onClick={() => void Taro.redirectTo({ url: '/packages/booking/appointments/index' })}
            >
              查看我的预约
            </Button>
            <Button size='large' block onClick={() => void Taro.switchTab({ url: '/pages/index/index' })}>
              返回首页
            </Button>
          </View>
        </View>
      )}
    </View>
  );
}
