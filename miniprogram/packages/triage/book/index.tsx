import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { api, ApiError } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import { LEVEL_LABEL } from '../../../constants/labels';
import { StatusView } from '../../../components/status-view';
import { useSingleFlight } from '../../../lib/use-single-flight';
import '../triage.css';

/** From the triage advice to booking: pick a hospital; its own department for the advised one opens. */
export default function TriageBook() {
  const department = decodeURIComponent(useRouter().params.department ?? '');
  const hospitals = useRequest(() => api.hospitals.list({ pageSize: 50 }), []);
  const [notice, setNotice] = useState('');
  const [open] = useSingleFlight(async (hospitalId: string, hospitalName: string) => {
    setNotice('');
    try {
      const m = await api.triage.department(hospitalId, department);
      await Taro.navigateTo({
        url: `/pages/department/index?id=${m.departmentId}&name=${encodeURIComponent(m.departmentName)}&hospital=${encodeURIComponent(hospitalName)}`,
      });
    } catch (e) {
      setNotice(e instanceof ApiError ? e.message : '暂时无法打开该医院的科室，请稍后重试');
    }
  });

  return (
    <View className='page triage'>
      <View className='triage__head'>
        <Text className='title'>预约{department}</Text>
        <Text className='muted'>选择医院后进入该院对应的科室</Text>
      </View>
      {notice && (
        <View className='triage__notice' role='alert'>
          <Text className='triage__error'>{notice}</Text>
        </View>
      )}
      <StatusView loading={hospitals.loading} error={hospitals.error} onRetry={hospitals.reload} />
      {hospitals.data?.items.map((h) => (
        <View
          key={h.id}
          className='card card--tap triage__hospital'
          role='button'
          onClick={() => void open(h.id, h.name)}
        >
          <View className='name-row'>
            <Text className='name'>{h.name}</Text>
            <Text className='badge'>{LEVEL_LABEL[h.level]}</Text>
          </View>
          <Text className='muted'>{h.district}</Text>
        </View>
      ))}
    </View>
  );
}
