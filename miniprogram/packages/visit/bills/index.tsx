import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { api } from '../../../api/client';
import type { BillSummary, VisitBills } from '../../../api/types';
import { useRequest } from '../../../api/use-request';
import { StatusView } from '../../../components/status-view';
import { dayLabel, yuan } from '../../../constants/labels';
import '../visit.css';

const open = (b: BillSummary) => void Taro.navigateTo({ url: `/packages/visit/bill/index?id=${b.id}` });

function VisitCard({ v }: { v: VisitBills }) {
  return (
    <View className='card visit__visit'>
      <View className='name-row'>
        <Text className='name'>{dayLabel(v.visitDate)}</Text>
        {v.unpaidFen > 0 && <Text className='badge badge--warning'>待缴 {yuan(v.unpaidFen)}</Text>}
        {v.inconsistent && <Text className='badge badge--danger'>金额有误</Text>}
      </View>
      <Text className='muted'>
        {v.hospitalName} · {v.department}
      </Text>
      <View className='visit__totals'>
        <View className='visit__total'>
          <Text className='muted'>合计</Text>
          <Text className='visit__money'>{yuan(v.totalFen)}</Text>
        </View>
        <View className='visit__total'>
          <Text className='muted'>医保统筹</Text>
          <Text className='visit__money visit__money--soft'>{yuan(v.insuranceFen)}</Text>
        </View>
        <View className='visit__total'>
          <Text className='muted'>自费</Text>
          <Text className='visit__money visit__money--soft'>{yuan(v.selfPayFen)}</Text>
        </View>
      </View>
      {v.bills.map((b) => (
        <View key={b.id} className='visit__bill-row' role='button' onClick={() => open(b)}>
          <Text className='visit__bill-name'>费用单 · {b.itemCount} 项 ›</Text>
          <Text className={`badge ${b.status === 'paid' ? 'badge--success' : 'badge--warning'}`}>
            {b.status === 'paid' ? '已缴费' : '待缴费'}
          </Text>
          <Text className='visit__bill-amount'>{yuan(b.totalFen)}</Text>
        </View>
      ))}
    </View>
  );
}

/** 费用查询: one patient's bills, grouped by visit with totals; tap a bill for its items. */
export default function BillsPage() {
  const params = useRouter().params;
  const patients = useRequest(() => api.patients.list(), []);
  const [patientId, setPatientId] = useState(params.patientId ?? '');
  useEffect(() => {
    if (!patientId && patients.data?.items.length) setPatientId(patients.data.items[0].id);
  }, [patients.data, patientId]);
  const bills = useRequest(() => (patientId ? api.bills.list({ patientId }) : Promise.resolve(undefined)), [patientId]);
  const list = bills.data;
  return (
    <View className='page visit'>
      {(patients.data?.items.length ?? 0) > 1 && (
        <View className='visit__chips' role='tablist'>
          {patients.data!.items.map((p) => (
            <View
              key={p.id}
              role='tab'
              aria-selected={p.id === patientId}
              className={`visit__chip${p.id === patientId ? ' visit__chip--on' : ''}`}
              onClick={() => setPatientId(p.id)}
            >
              <Text>{p.name}</Text>
            </View>
          ))}
        </View>
      )}
      <StatusView
        loading={patients.loading || (bills.loading && !list)}
        error={patients.error ?? bills.error}
        onRetry={bills.reload}
        empty={patients.data?.items.length === 0 || list?.items.length === 0}
        emptyText={
          patients.data?.items.length === 0 ? '请先添加就诊人' : '暂无费用记录。就诊后的费用清单会出现在这里。'
        }
      />
      {list && list.unavailableHospitalIds.length > 0 && (
        <View className='visit__banner visit__banner--stale' role='status'>
          <Text>部分医院暂时无法连接，费用可能不全</Text>
        </View>
      )}
      {list?.items.map((v) => (
        <VisitCard key={`${v.hospitalId}/${v.visitCode}`} v={v} />
      ))}
    </View>
  );
}
