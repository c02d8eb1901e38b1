import { useMemo } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Image } from '@tarojs/components';
import type { Appointment, Hospital } from '../../api/types';
import { dateTimeLabel } from '../../constants/labels';
import { Icon } from '../../components/icon';
import { qrSvg } from '../../lib/qr';
import { svgDataUri } from '../../lib/svg';

/** The booking code as large text and as a QR code for the hospital's scanner. */
export function BookingCode({ code }: { code: string }) {
  const src = useMemo(() => svgDataUri(qrSvg(code)), [code]);
  return (
    <View className='apt__code-box'>
      <Text className='muted'>预约码（到院取号时出示）</Text>
      <Text className='apt__code' userSelect>
        {code}
      </Text>
      <Image className='apt__qr' src={src} mode='scaleToFill' ariaLabel={`预约码${code}的二维码`} />
      <Text className='muted apt__qr-note'>可在自助机或窗口扫码取号</Text>
    </View>
  );
}

/** Where to go, whom to call, until when it can be cancelled, and what to bring. */
export function VisitDetails({ a, hospital }: { a: Appointment; hospital?: Hospital }) {
  const phone = hospital?.phone;
  return (
    <View className='card apt__visit'>
      <Text className='apt__visit-title'>就诊信息</Text>
      <View className='apt__row'>
        <Icon name='clinic' size='md' className='apt__row-icon' />
        <View className='apt__row-text'>
          <Text className='apt__row-label'>就诊地点</Text>
          <Text className='apt__row-value'>
            {a.hospital.name} {a.department.location}
          </Text>
        </View>
      </View>
      <View className='apt__row'>
        <Icon name='location' size='md' className='apt__row-icon' />
        <View className='apt__row-text'>
          <Text className='apt__row-label'>医院地址</Text>
          <Text className='apt__row-value'>{a.hospital.address}</Text>
        </View>
      </View>
      {phone && (
        <View
          className='apt__row apt__row--tap'
          role='button'
          onClick={() => void Taro.makePhoneCall({ phoneNumber: phone.replace(/-/g, '') })}
        >
          <Icon name='phone' size='md' className='apt__row-icon' />
          <View className='apt__row-text'>
            <Text className='apt__row-label'>医院电话</Text>
            <Text className='apt__row-value apt__phone'>{phone}</Text>
          </View>
        </View>
      )}
      {a.status === 'booked' && (
        <View className='apt__row'>
          <Icon name='time' size='md' className='apt__row-icon' />
          <View className='apt__row-text'>
            <Text className='apt__row-label'>退号截止</Text>
            <Text className='apt__row-value'>{dateTimeLabel(a.cancelDeadline)}，之后不能在线取消</Text>
          </View>
        </View>
      )}
      <View className='apt__row'>
        <Icon name='note' size='md' className='apt__row-icon' />
        <View className='apt__row-text'>
          <Text className='apt__row-label'>请携带</Text>
          <Text className='apt__row-value'>就诊人身份证、医保卡（自费就诊可不带医保卡），请提前15分钟到院</Text>
        </View>
      </View>
    </View>
  );
}
