import { useEffect, useState } from 'react';
import Taro, { useReachBottom, useRouter } from '@tarojs/taro';
import { View, Text, ScrollView } from '@tarojs/components';
import { Cell, SearchBar } from '@nutui/nutui-react-taro';
import { api } from '../../api/client';
import type { HospitalSummary } from '../../api/types';
import { DISTRICTS, LEVEL_LABEL } from '../../constants/labels';
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
      <SearchBar
        value={keyword}
        placeholder='输入医院名称或地址'
        autoFocus={params.focus === '1'}
        onChange={(v: string) => setKeyword(v)}
        onSearch={(v: string) => search(v)}
        onClear={() => search('')}
        rightIn={
          <Text className='hospital-list__go' onClick={() => search(keyword)}>
            搜索
          </Text>
        }
      />
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
          <Cell
            key={h.id}
            className='hospital-list__item'
            clickable
            onClick={() => void Taro.navigateTo({ url: `/pages/hospital/index?id=${h.id}` })}
            title={
              <View>
                <Text className='hospital-list__name'>{h.name}</Text>
                <Text className='badge'>{LEVEL_LABEL[h.level]}</Text>
              </View>
            }
            description={
              <Text className='muted'>
                {h.district} · {h.address}
              </Text>
            }
          />
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
