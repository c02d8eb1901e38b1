import Taro from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Grid } from '@nutui/nutui-react-taro';
import './index.css';

interface Entry {
  text: string;
  icon: string;
  /** A page that exists; entries without one say they are coming. */
  url?: string;
}

const ENTRIES: Entry[] = [
  { text: '预约挂号', icon: '挂', url: '/pages/hospital-list/index' },
  { text: '报告查询', icon: '报' },
  { text: '院内导航', icon: '导' },
  { text: '排队叫号', icon: '叫' },
  { text: '智能分诊', icon: '诊' },
  { text: '费用查询', icon: '费' },
  { text: '专病专区', icon: '专' },
  { text: '健康管理', icon: '健' },
];

function open(entry: Entry) {
  if (entry.url) void Taro.navigateTo({ url: entry.url });
  else void Taro.showToast({ title: `${entry.text}即将上线`, icon: 'none' });
}

export default function Home() {
  return (
    <View className='page home'>
      <View className='home__banner'>
        <Text className='home__name'>医联云健康</Text>
        <Text className='home__slogan'>上海 38 家三级医院 · 一站式就医服务</Text>
      </View>
      <View
        className='home__search'
        role='search'
        onClick={() => void Taro.navigateTo({ url: '/pages/hospital-list/index?focus=1' })}
      >
        <Text className='muted'>搜索医院名称或地址</Text>
      </View>
      <View className='card home__grid'>
        <Grid columns={4} gap={0}>
          {ENTRIES.map((entry) => (
            <Grid.Item key={entry.text} onClick={() => open(entry)}>
              <View className={`home__icon ${entry.url ? '' : 'home__icon--soon'}`}>{entry.icon}</View>
              <Text className='home__label'>{entry.text}</Text>
            </Grid.Item>
          ))}
        </Grid>
      </View>
    </View>
  );
}
