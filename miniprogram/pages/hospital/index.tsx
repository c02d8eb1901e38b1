import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Cell } from '@nutui/nutui-react-taro';
import { api } from '../../api/client';
import { useRequest } from '../../api/use-request';
import { LEVEL_LABEL } from '../../constants/labels';
import { Icon } from '../../components/icon';
import { StatusView } from '../../components/status-view';
import './index.css';

export default function HospitalPage() {
  const id = useRouter().params.id ?? '';
  const hospital = useRequest(() => api.hospitals.get(id), [id]);
  const departments = useRequest(() => api.hospitals.departments(id), [id]);
  const h = hospital.data;

  if (!h) return <StatusView loading={hospital.loading} error={hospital.error} onRetry={hospital.reload} />;
  return (
    <View className='page hospital'>
      <View className='card'>
        <Text className='title'>{h.name}</Text>
        <View className='hospital__tags'>
          <Text className='badge'>{LEVEL_LABEL[h.level]}</Text>
          {h.hisStatus === 'unavailable' && <Text className='badge badge--warning'>医院系统连接异常</Text>}
        </View>
        <View className='hospital__line'>
          <Icon name='location' size='sm' className='hospital__line-icon' />
          <Text className='hospital__line-text'>{h.address}</Text>
        </View>
        <View
          className='hospital__line hospital__phone'
          role='button'
          onClick={() => void Taro.makePhoneCall({ phoneNumber: h.phone.replace(/-/g, '') })}
        >
          <Icon name='phone' size='sm' className='hospital__line-icon' />
          <Text className='hospital__line-text'>{h.phone}</Text>
        </View>
        <View
          className='hospital__line hospital__nav'
          role='button'
          onClick={() => void Taro.navigateTo({ url: `/packages/nav/route/index?hospitalId=${h.id}` })}
        >
          <Icon name='navigation' size='sm' className='hospital__line-icon' />
          <Text className='hospital__line-text'>院内导航：查找诊室、抽血、药房的位置</Text>
        </View>
        <Text className='hospital__intro muted'>{h.intro}</Text>
      </View>
      <Text className='section-title'>选择科室</Text>
      <StatusView
        loading={departments.loading}
        error={departments.error}
        empty={departments.data?.items.length === 0}
        emptyText='该医院暂无可预约科室'
        onRetry={departments.reload}
      />
      {departments.data && departments.data.items.length > 0 && (
        <View className='hospital__departments'>
          <Cell.Group>
            {departments.data.items.map((d) => (
              <Cell
                key={d.id}
                clickable
                title={<Text className='hospital__dep-name'>{d.name}</Text>}
                description={<Text className='muted'>{d.location}</Text>}
                extra={
                  <View className='hospital__dep-extra'>
                    <Text className='muted'>{d.doctorCount} 位医生</Text>
                    <Icon name='more' size='sm' className='hospital__chevron' />
                  </View>
                }
                onClick={() =>
                  void Taro.navigateTo({
                    url: `/pages/department/index?id=${d.id}&name=${encodeURIComponent(d.name)}&hospital=${encodeURIComponent(h.name)}`,
                  })
                }
              />
            ))}
          </Cell.Group>
        </View>
      )}
    </View>
  );
}
