import { useEffect, useState } from 'react';
import Taro, { useReachBottom, useRouter } from '@tarojs/taro';
import { View, Text, ScrollView, Input } from '@tarojs/components';
import { api } from '../../api/client';
import type { HospitalSummary } from '../../api/types';
import { DISTRICTS, LEVEL_LABEL } from '../../constants/labels';
import { Icon } from '../../components/icon';
import { StatusView } from '../../components/status-view';
import { useRequest } from '../../api/use-request';
import './index.css';

const PAGE_SIZE = 20;

export default function HospitalList() {
  const { params } = useRouter();
  const [keyword, setKeyword] = useState('');
  const [q, setQ] = useState('');
  const [district, setDistrict] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [items, setItems] = useState<HospitalSummary[]>([]);

  const state = useRequest(() => api.hospitals.list({ q, district, page, pageSize: PAGE_SIZE }), [q, district, page]);
  const total = state.data?.total ?? 0;

  useEffect(() => {
    if (!state.data) return;
    const fresh = state.data.items;
    setItems((prev) => (state.data!.page === 1 ? fresh : [...prev, ...fresh]));
  }, [state.data]);

  const search = (value: string) => {
    setQ(value.trim());
    setPage(1);
  };
  const pickDistrict = (d?: string) => {
    setDistrict(d);
    setPage(1);
  };

  useReachBottom(() => {
    if (!state.loading && items.length < total) setPage((p) => p + 1);
  });

  return (
    <View className='page hospital-list'>
      <View className='hospital-list__search' role='search'>
        <View className='hospital-list__box'>
          <Icon name='search' size='md' className='hospital-list__search-icon' />
          {/* Taro's own `focus` prop: NutUI's SearchBar autoFocus called focus() before the input existed (TypeError on H5). */}
          <Input
            className='hospital-list__input'
            value={keyword}
            placeholder='输入医院名称或地址'
            confirmType='search'
            focus={params.focus === '1'}
            maxlength={50}
            onInput={(e) => setKeyword(e.detail.value)}
            onConfirm={(e) => search(e.detail.value)}
          />
          {keyword && (
            <Text
              className='hospital-list__clear'
              onClick={() => {
                setKeyword('');
                search('');
              }}
            >
              清除
            </Text>
          )}
        </View>
        <Text className='hospital-list__go' onClick={() => search(keyword)}>
          搜索
        </Text>
      </View>
      <ScrollView scrollX className='hospital-list__districts' enableFlex>
        {[undefined, ...DISTRICTS].map((d) => (
          <Text
            key={d ?? 'all'}
            className={`hospital-list__district ${d === district ? 'is-active' : ''}`}
            onClick={() => pickDistrict(d)}
          >
            {d ?? '全部'}
          </Text>
        ))}
      </ScrollView>
      {!state.loading && !state.error && <Text className='section-title'>共 {total} 家医院</Text>}
      <View className='hospital-list__items'>
        {items.map((h) => (
          <View
            key={h.id}
            className='card card--tap hospital-list__item'
            onClick={() => void Taro.navigateTo({ url: `/pages/hospital/index?id=${h.id}` })}
          >
            <View className='name-row'>
              <Text className='name'>{h.name}</Text>
              <Text className='badge'>{LEVEL_LABEL[h.level]}</Text>
            </View>
            <View className='hospital-list__address'>
              <Icon name='location' size='sm' className='hospital-list__pin' />
              <Text className='muted'>
                {h.district} · {h.address}
              </Text>
            </View>
          </View>
        ))}
      </View>
      <StatusView
        loading={state.loading && page === 1}
        error={state.error}
        empty={!state.loading && items.length === 0}
        emptyText='没有找到相关医院，换个关键词试试'
        onRetry={state.reload}
      />
      {items.length > 0 && items.length >= total && <Text className='hospital-list__end muted'>已显示全部医院</Text>}
    </View>
  );
}
