import { View, Text } from '@tarojs/components';
import type { QueueStatus } from '../../api/types';
import { hhmm } from '../../constants/labels';

/** The banners a queue can need: 即将叫号 (once three or fewer are ahead) and old data from an unreachable hospital. */
export function QueueBanners({ q, unreachable }: { q?: QueueStatus; unreachable?: boolean }) {
  return (
    <View>
      {q?.near && (
        <View className='visit__banner visit__banner--near' role='alert'>
          <Text className='visit__banner-title'>即将叫号</Text>
          <Text>前面还有 {q.ahead} 人，请到诊室门口候诊，留意叫号屏。</Text>
        </View>
      )}
      {(unreachable || q?.stale) && (
        <View className='visit__banner visit__banner--stale' role='status'>
          <Text className='visit__banner-title'>医院系统暂时无法连接</Text>
          <Text>
            {q?.updatedAt ? `以下为 ${hhmm(q.updatedAt)} 的排队信息，可能已有变化。` : '暂时无法获取排队信息，'}
            正在自动重试。
          </Text>
        </View>
      )}
    </View>
  );
}

/** The figures of one queue: my number, the number being called, how many ahead, the estimate. */
export function QueueFigures({ q }: { q: QueueStatus }) {
  if (q.state === 'checking_in')
    return (
      <View className='card visit__queue'>
        <Text className='visit__state'>已签到，正在向医院取号…</Text>
        <Text className='muted'>通常几秒内完成，页面会自动刷新。</Text>
      </View>
    );
  return (
    <View className='card visit__queue'>
      <Text className='visit__room'>{q.room?.name}</Text>
      <View className='visit__numbers'>
        <View className='visit__number'>
          <Text className='muted'>我的号</Text>
          <Text className='visit__mine'>{q.myNumber}</Text>
        </View>
        <View className='visit__number'>
          <Text className='muted'>当前叫号</Text>
          <Text className='visit__calling'>{q.calling ?? '未开始'}</Text>
        </View>
      </View>
      {q.state === 'waiting' && (
        <Text className='visit__state'>
          前面还有 <Text className='visit__ahead'>{q.ahead}</Text> 人
          {q.estimatedWaitMinutes !== null && q.estimatedWaitMinutes > 0
            ? `，预计等待约 ${q.estimatedWaitMinutes} 分钟`
            : ''}
        </Text>
      )}
      {q.state === 'called' && <Text className='visit__state visit__state--called'>正在叫您的号，请立即进入诊室</Text>}
      {q.state === 'passed' && (
        <Text className='visit__state visit__state--passed'>您的号已过，请到分诊台说明情况，护士会为您重新排队</Text>
      )}
      {q.updatedAt && <Text className='muted visit__updated'>更新于 {hhmm(q.updatedAt)}</Text>}
    </View>
  );
}
