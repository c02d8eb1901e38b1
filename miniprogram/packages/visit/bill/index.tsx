import { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import { StatusView } from '../../../components/status-view';
import { dayLabel, yuan } from '../../../constants/labels';
import '../visit.css';

/** One bill: totals and the insurance split, then its items grouped by category (西药费, 检查费 ...). */
export default function BillPage() {
  const id = useRouter().params.id ?? '';
  const bill = useRequest(() => api.bills.get(id), [id]);
  const b = bill.data;
  return (
    <View className='page visit'>
      <StatusView loading={bill.loading && !b} error={bill.error} onRetry={bill.reload} />
      {b && (
        <View>
          <View className='card visit__bill-head'>
            <View className='name-row'>
              <Text className='name'>{b.hospitalName}</Text>
              <Text className={`badge ${b.status === 'paid' ? 'badge--success' : 'badge--warning'}`}>
                {b.status === 'paid' ? '已缴费' : '待缴费'}
              </Text>
            </View>
            <Text className='muted'>
              {dayLabel(b.visitDate)} · {b.department} · 单号 {b.code}
            </Text>
            <Text className='visit__grand'>{yuan(b.totalFen)}</Text>
            <View className='visit__totals'>
              <View className='visit__total'>
                <Text className='muted'>医保统筹</Text>
                <Text className='visit__money visit__money--soft'>{yuan(b.insuranceFen)}</Text>
              </View>
              <View className='visit__total'>
                <Text className='muted'>自费</Text>
                <Text className='visit__money visit__money--soft'>{yuan(b.selfPayFen)}</Text>
              </View>
            </View>
          </View>
          {b.inconsistent && (
            <View className='visit__banner visit__banner--stale' role='alert'>
              <Text className='visit__banner-title'>这张账单的金额对不上</Text>
              {b.problems.map((p) => (
                <Text key={`${p.kind}${p.line ?? ''}`} className='visit__problem'>
                  · {p.message}
                </Text>
              ))}
              <Text className='visit__problem-note'>
                以上按医院提供的数据原样显示，请以医院收费处为准，或到窗口核对。
              </Text>
            </View>
          )}
          {b.groups.map((g) => (
            <View key={g.category} className='card visit__group'>
              <View className='visit__group-head'>
                <Text className='visit__group-name'>{g.category}</Text>
                <Text className='visit__group-amount'>{yuan(g.amountFen)}</Text>
              </View>
              {g.items.map((item, i) => (
                <View key={`${item.name}${i}`} className='visit__item'>
                  <View className='visit__item-text'>
                    <Text className='visit__item-name'>{item.name}</Text>
                    <Text className='muted'>
                      {item.quantity} × {yuan(item.unitPriceFen)}
                    </Text>
                  </View>
                  <Text className='visit__item-amount'>{yuan(item.amountFen)}</Text>
                </View>
              ))}
            </View>
          ))}
        </View>
      )}
    </View>
  );
}
