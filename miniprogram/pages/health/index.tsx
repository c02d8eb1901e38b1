import { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Icon, type IconName } from '../../components/icon';
import { refreshUnreadBadge } from '../../lib/notify';
import './index.css';

interface Service {
  name: string;
  icon: IconName;
  text: string;
}

const GROUPS: Array<{ title: string; items: Service[] }> = [
  {
    title: '专病专区',
    items: [
      { name: '高血压专区', icon: 'zone', text: '血压记录、用药提醒与专家咨询' },
      { name: '儿童医学专区', icon: 'child', text: '儿童生长发育与常见病咨询' },
      { name: '中医养生专区', icon: 'tcm', text: '体质辨识与四季调养' },
    ],
  },
  {
    title: '健康管理',
    items: [{ name: '健康档案', icon: 'health', text: '记录血压、血糖、体重等指标' }],
  },
];

/** 健康: the specialty zones and health records, all still to come; shown so patients know what is planned. */
export default function Health() {
  // The unread count on the 我的 tab, whichever tab the patient is on.
  useDidShow(() => void refreshUnreadBadge());
  return (
    <View className='page health'>
      <View className='health__intro'>
        <Text className='health__intro-title'>健康服务即将上线</Text>
        <Text className='muted'>以下服务正在建设中，上线后会在这里开放。</Text>
      </View>
      {GROUPS.map((g) => (
        <View key={g.title}>
          <Text className='section-title'>{g.title}</Text>
          <View className='card health__group'>
            {g.items.map((s) => (
              <View key={s.name} className='health__item'>
                <View className='health__icon'>
                  <Icon name={s.icon} size='lg' />
                </View>
                <View className='health__text'>
                  <View className='name-row'>
                    <Text className='health__name'>{s.name}</Text>
                    <Text className='badge badge--muted'>即将上线</Text>
                  </View>
                  <Text className='muted'>{s.text}</Text>
                </View>
              </View>
            ))}
          </View>
        </View>
      ))}
    </View>
  );
}
