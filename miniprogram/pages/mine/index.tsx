import Taro from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Cell } from '@nutui/nutui-react-taro';

const SERVICE_PHONE = '021-12320';

export default function Mine() {
  return (
    <View className='page mine'>
      <View className='card'>
        <Text className='title'>医联云健康</Text>
        <Text className='muted' style={{ display: 'block', marginTop: '8px' }}>
          登录与就诊人管理即将上线
        </Text>
      </View>
      <Cell.Group>
        <Cell
          title='客服热线'
          extra={SERVICE_PHONE}
          clickable
          onClick={() => void Taro.makePhoneCall({ phoneNumber: SERVICE_PHONE.replace('-', '') })}
        />
        <Cell title='版本' extra='0.1.0' />
      </Cell.Group>
    </View>
  );
}
