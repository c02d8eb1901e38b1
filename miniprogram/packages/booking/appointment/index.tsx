import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import { useDialog } from '../../../components/dialog';
import { StatusView } from '../../../components/status-view';
import { shanghaiToday } from '../../../constants/labels';
import { useSingleFlight } from '../../../lib/use-single-flight';
import { AppointmentCard } from '../appointment-card';
import { CheckInPanel } from '../check-in';
import { BookingCode, VisitDetails } from '../visit-info';
import '../booking.css';

/** One appointment: booking code, where and when, and before the cut-off a cancel button. */
export default function AppointmentPage() {
  const id = useRouter().params.id ?? '';
  const apt = useRequest(() => api.appointments.get(id), [id]);
  const a = apt.data;
  const hospital = useRequest(
    () => (a ? api.hospitals.get(a.hospital.id) : Promise.resolve(undefined)),
    [a?.hospital.id],
  );
  const { dialog, confirm } = useDialog();

  const [cancelNow, cancelling] = useSingleFlight(async () => {
    try {
      await api.appointments.cancel(id);
      void Taro.showToast({ title: '已取消预约', icon: 'none' });
      apt.reload();
    } catch {
      /* the client showed the reason */
    }
  });
  const cancel = async () => {
    const sure = await confirm({
      title: '确认取消预约？',
      content: '取消后，这个号将释放给其他患者，如需就诊请重新预约。',
      confirmText: '确认取消预约',
      cancelText: '再想想',
      destructive: true,
    });
    if (sure) await cancelNow();
  };

  return (
    <View className='page'>
      <StatusView loading={apt.loading && !a} error={apt.error} onRetry={apt.reload} />
      {a && (
        <View>
          {a.status === 'booked' && (
            <View className='card apt__done'>
              <BookingCode code={a.bookingCode} />
            </View>
          )}
          <AppointmentCard a={a} />
          {a.slot.date === shanghaiToday() && <CheckInPanel a={a} onDone={apt.reload} />}
          <VisitDetails a={a} hospital={hospital.data} />
          {(a.status === 'booked' || a.status === 'checked_in') && (
            <View className='actions'>
              <Button
                size='large'
                block
                type='primary'
                onClick={() =>
                  void Taro.navigateTo({
                    url: `/packages/nav/route/index?hospitalId=${a.hospital.id}&departmentId=${a.department.id}`,
                  })
                }
              >
                到我的就诊科室
              </Button>
            </View>
          )}
          {a.status === 'booked' && a.cancellable && (
            <View className='actions'>
              <Button
                size='large'
                block
                type='danger'
                fill='outline'
                loading={cancelling}
                onClick={() => void cancel()}
              >
                取消预约
              </Button>
            </View>
          )}
        </View>
      )}
      {dialog}
    </View>
  );
}
