import { useEffect, useRef, useState } from 'react';
import Taro, { useDidHide, useDidShow, useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { ApiError, api } from '../../../api/client';
import type { QueueStatus } from '../../../api/types';
import { StatusView } from '../../../components/status-view';
import { QueueBanners, QueueFigures } from '../queue-view';
import '../visit.css';

/** The server reads each room at most every few seconds; 15 s keeps the page current without waking phones often. */
const POLL_MS = 15_000;

/** 排队叫号: my number, the one being called, how many ahead and the estimate; polled only while visible. */
export default function QueuePage() {
  const id = useRouter().params.id ?? '';
  const [q, setQ] = useState<QueueStatus>();
  const [error, setError] = useState<ApiError>();
  const timer = useRef<ReturnType<typeof setInterval>>();

  const load = () =>
    api.visit.queue(id).then(
      (data) => {
        setQ(data);
        setError(undefined);
      },
      (err: unknown) =>
        setError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT_ERROR', '加载失败，请稍后重试')),
    );
  const stop = () => {
    if (timer.current) clearInterval(timer.current);
    timer.current = undefined;
  };
  // Polls while the page is visible: from the first render (or the page showing again) until it hides or closes.
  const start = () => {
    if (timer.current) return;
    void load();
    timer.current = setInterval(() => void load(), POLL_MS);
  };
  useDidShow(start);
  useDidHide(stop);
  useEffect(() => {
    start();
    return stop;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const unreachable = error?.code === 'HIS_UNAVAILABLE';
  return (
    <View className='page visit'>
      <QueueBanners q={q} unreachable={unreachable} />
      <StatusView loading={!q && !error} error={!q && !unreachable ? error : undefined} onRetry={() => void load()} />
      {q && <QueueFigures q={q} />}
      {!q && unreachable && (
        <View className='actions'>
          <Button size='large' block onClick={() => void load()}>
            重新加载
          </Button>
        </View>
      )}
      <View className='card visit__tips'>
        <Text className='visit__tips-title'>候诊须知</Text>
        <Text className='muted'>· 请在诊室附近候诊，叫号时请携带身份证和医保卡进入诊室。</Text>
        <Text className='muted'>· 过号后请到分诊台说明情况，护士会为您重新排队。</Text>
        <Text className='muted'>· 预计等待时间按近期就诊时长估算，仅供参考。</Text>
      </View>
      <View className='actions'>
        <Button
          size='large'
          block
          onClick={() => void Taro.navigateTo({ url: `/packages/booking/appointment/index?id=${id}` })}
        >
          查看预约详情
        </Button>
      </View>
    </View>
  );
}
