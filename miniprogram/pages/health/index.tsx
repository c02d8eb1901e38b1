import { View, Text } from '@tarojs/components';
import './index.css';

const SERVICES = [
  { name: '高血压专区', text: '血压记录、用药提醒与专家咨询' },
  { name: '儿童医学专区', text: '儿童生长发育与常见病咨询' },
  { name: '中医养生专区', text: '体质辨识与四季调养' },
  { name: '健康档案', text: '记录血压、血糖、体重等指标' },
];

export default function Health() {
  return (
    <View className='page health'>
      <Text className='section-title'>专病专区与健康管理</Text>
      {SERVICES.map((s) => (
        <View key={s.name} className='card health__item'>
          <View>
            <Text className='health__name'>{s.name}</Text>
            <Text className='badge badge--muted'>即将上线</Text>
          </View>
          <Text className='muted'>{s.text}</Text>
        </View>
      ))}
    </View>
  );
}
