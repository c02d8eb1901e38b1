import { useEffect } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Avatar } from '@nutui/nutui-react-taro';
import { api } from '../../api/client';
import { useRequest } from '../../api/use-request';
import { TITLE_LABEL } from '../../constants/labels';
import { StatusView } from '../../components/status-view';
import './index.css';

export default function DepartmentPage() {
  const { id = '', name = '', hospital = '' } = useRouter().params;
  const depName = decodeURIComponent(name);
  const doctors = useRequest(() => api.departments.doctors(id), [id]);

  useEffect(() => {
    if (depName) void Taro.setNavigationBarTitle({ title: depName });
  }, [depName]);

  return (
    <View className='page department'>
      <View className='card'>
        <Text className='title'>{depName}</Text>
        <Text className='department__hospital muted'>{decodeURIComponent(hospital)}</Text>
      </View>
      <StatusView
        loading={doctors.loading}
        error={doctors.error}
        empty={doctors.data?.items.length === 0}
        emptyText='该科室暂无出诊医生'
        onRetry={doctors.reload}
      />
      {doctors.data?.items.map((d) => (
        <View key={d.id} className='card department__doctor'>
          <Avatar size='large' className='department__avatar'>
            {d.name.slice(0, 1)}
          </Avatar>
          <View className='department__info'>
            <View>
              <Text className='department__name'>{d.name}</Text>
              <Text className='badge'>{TITLE_LABEL[d.title]}</Text>
            </View>
            <Text className='department__specialty'>擅长：{d.specialty}</Text>
            <Text className='muted'>{d.intro}</Text>
          </View>
        </View>
      ))}
    </View>
  );
}
