import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Icon, type IconName } from '../../components/icon';
import { refreshUnreadBadge } from '../../lib/notify';
import { QueueCard } from './queue-card';
import './index.css';

interface Entry {
  text: string;
  icon: IconName;
  /** What it will do, shown while it is not available yet. */
  note?: string;
}

const AVAILABLE: Array<Entry & { url: string }> = [
  { text: '预约挂号', icon: 'booking', url: '/pages/hospital-list/index', note: '38家三级医院 · 分时段预约' },
  { text: '报告查询', icon: 'report', url: '/packages/reports/list/index', note: '检验、检查报告 · 通俗解读' },
  { text: '费用查询', icon: 'fees', url: '/packages/visit/bills/index', note: '按就诊查看账单与医保结算' },
  { text: '智能分诊', icon: 'triage', url: '/packages/triage/check/index', note: '按症状推荐科室 · 不作诊断' },
];

/** Services that start from a hospital or a visit, or live on a tab: smaller tiles. */
const MORE: Array<Entry & { url: string; tab?: boolean }> = [
  { text: '院内导航', icon: 'navigation', url: '/pages/hospital-list/index', note: '选医院，查楼层与科室' },
  { text: '排队叫号', icon: 'queue', url: '/packages/booking/appointments/index', note: '签到后看候诊进度' },
  { text: '健康管理', icon: 'health', url: '/pages/health/index', tab: true, note: '血压、血糖记录' },
];

const COMING: Entry[] = [{ text: '专病专区', icon: 'zone', note: '高血压、儿童、中医' }];

const go = (url: string) => void Taro.navigateTo({ url });

export default function Home() {
  // The unread count on the 我的 tab, whichever tab the patient is on.
  useDidShow(() => void refreshUnreadBadge());
  return (
    <View className='page home'>
      <View className='home__banner'>
        <Text className='home__name'>医联云健康</Text>
        <Text className='home__slogan'>上海 38 家三级医院 · 一站式就医服务</Text>
      </View>
      <View className='home__search' role='search' onClick={() => go('/pages/hospital-list/index?focus=1')}>
        <Icon name='search' size='md' className='home__search-icon' />
        <Text className='home__search-text'>搜索医院名称或地址</Text>
      </View>
      <QueueCard />
      {AVAILABLE.map((e) => (
        <View key={e.text} className='card card--tap home__primary' onClick={() => go(e.url)} role='button'>
          <View className='home__primary-icon'>
            <Icon name={e.icon} size='xl' />
          </View>
          <View className='home__primary-text'>
            <Text className='home__primary-title'>{e.text}</Text>
            <Text className='muted'>{e.note}</Text>
          </View>
          <Icon name='more' size='md' className='home__chevron' />
        </View>
      ))}
      <Text className='section-title'>更多服务</Text>
      <View className='card home__coming'>
        {MORE.map((e) => (
          <View
            key={e.text}
            className='home__soon home__more'
            role='button'
            onClick={() => (e.tab ? void Taro.switchTab({ url: e.url }) : go(e.url))}
          >
            <View className='home__soon-icon home__more-icon'>
              <Icon name={e.icon} size='lg' />
            </View>
            <Text className='home__soon-title home__more-title'>{e.text}</Text>
            <Text className='home__soon-note home__more-note'>{e.note}</Text>
          </View>
        ))}
      </View>
      <Text className='section-title'>即将上线</Text>
      <View className='card home__coming'>
        {COMING.map((e) => (
          <View key={e.text} className='home__soon' aria-disabled>
            <View className='home__soon-icon'>
              <Icon name={e.icon} size='lg' />
            </View>
            <Text className='home__soon-title'>{e.text}</Text>
            <Text className='home__soon-note'>{e.note}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
