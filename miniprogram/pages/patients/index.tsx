import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api } from '../../api/client';
import { isSignedIn } from '../../api/session';
import type { Patient } from '../../api/types';
import { RELATION_LABEL, VERIFICATION_LABEL } from '../../constants/labels';
import { StatusView } from '../../components/status-view';
import type { ApiError } from '../../api/request';
import './index.css';

const MAX_PATIENTS = 5;

export default function Patients() {
  const [items, setItems] = useState<Patient[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError>();

  const load = () => {
    setLoading(true);
    api.patients.list().then(
      (page) => {
        setItems(page.items);
        setError(undefined);
        setLoading(false);
      },
      (e: ApiError) => {
        setError(e);
        setLoading(false);
      },
    );
  };

  useDidShow(() => {
    if (!isSignedIn()) void Taro.redirectTo({ url: '/pages/login/index' });
    else load();
  });

  return (
    <View className='page patients'>
      <StatusView loading={loading && !items.length} error={error} onRetry={load} />
      {items.map((p) => (
        <View
          key={p.id}
          className='card card--tap patients__item'
          role='button'
          onClick={() => void Taro.navigateTo({ url: `/pages/patient-edit/index?id=${p.id}` })}
        >
          <View className='name-row'>
            <Text className='name'>{p.name}</Text>
            <Text className='badge'>{RELATION_LABEL[p.relation]}</Text>
            {p.isMinor && <Text className='badge badge--muted'>儿童</Text>}
            <Text className={`badge ${p.verification.status === 'verified' ? 'badge--success' : 'badge--warning'}`}>
              {VERIFICATION_LABEL[p.verification.status]}
            </Text>
          </View>
          <Text className='muted line'>身份证 {p.idNumber}</Text>
          <Text className='muted line'>手机 {p.phone}</Text>
          {p.verification.reason && <Text className='patients__reason'>{p.verification.reason}</Text>}
        </View>
      ))}
      {!loading && !error && items.length === 0 && (
        <View className='card patients__empty'>
          <Text className='name'>还没有就诊人</Text>
          <Text className='muted line'>
            预约挂号前，请先添加您本人（需与身份证一致），之后可以添加家人，最多 {MAX_PATIENTS} 位。
          </Text>
        </View>
      )}
      {!loading && !error && (
        <View className='patients__add'>
          <Text className='muted patients__count'>
            已添加 {items.length}/{MAX_PATIENTS} 位就诊人
          </Text>
          {items.length < MAX_PATIENTS && (
            <Button
              type='primary'
              size='large'
              block
              onClick={() => void Taro.navigateTo({ url: '/pages/patient-edit/index' })}
            >
              {items.length ? '添加就诊人' : '添加本人'}
            </Button>
          )}
        </View>
      )}
    </View>
  );
}
