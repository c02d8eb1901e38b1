import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Input, Textarea, Picker } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api, ApiError } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import { StatusView } from '../../../components/status-view';
import { digitsOnly } from '../../../lib/input';
import { useSingleFlight } from '../../../lib/use-single-flight';
import { TICKET_STATUS, shortTime } from '../status';
import '../triage.css';

/** 人工分诊: the patient's tickets and their status, and a form to ask a triage nurse. */
export default function TriageTickets() {
  const list = useRequest(() => api.triage.tickets(), []);
  const [writing, setWriting] = useState(false);
  const [summary, setSummary] = useState('');
  const [text, setText] = useState('');
  const [phone, setPhone] = useState('');
  const [error, setError] = useState('');
  // Which triage desk: a hospital's nurses, or the platform's own desk.
  const hospitals = useRequest(
    () => (writing ? api.hospitals.list({ pageSize: 50 }) : Promise.resolve(undefined)),
    [writing],
  );
  const [desk, setDesk] = useState(0);
  const desks = [{ id: undefined, name: '平台分诊台（不指定医院）' }, ...(hospitals.data?.items ?? [])];
  useDidShow(() => list.reload());

  const [send, sending] = useSingleFlight(async () => {
    setError('');
    try {
      const t = await api.triage.openTicket({
        summary: summary.trim(),
        text: text.trim(),
        callbackPhone: phone || undefined,
        hospitalId: desks[desk]?.id,
      });
      setWriting(false);
      setSummary('');
      setText('');
      await Taro.navigateTo({ url: `/packages/triage/ticket/index?id=${t.id}` });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '提交失败，请稍后重试');
    }
  });

  return (
    <View className='page triage'>
      <View className='triage__banner'>
        <Text className='triage__banner-text'>
          分诊护士会根据您的描述建议就诊科室，一般在工作时间内尽快回复。如有胸痛、呼吸困难、意识不清等紧急情况，请立即拨打120。
        </Text>
      </View>
      {writing ? (
        <View className='card triage__card'>
          <Text className='title'>咨询分诊护士</Text>
          <Text className='triage__label'>问题概要</Text>
          <Input
            className='triage__input'
            value={summary}
            maxlength={60}
            placeholder='例如：孩子反复咳嗽'
            onInput={(e) => setSummary(e.detail.value)}
          />
          <Text className='triage__label'>详细描述</Text>
          <Textarea
            className='triage__textarea'
            value={text}
            maxlength={1000}
            placeholder='症状、持续多久、年龄、有无其他不适'
            onInput={(e) => setText(e.detail.value)}
          />
          <Text className='triage__label'>咨询哪家医院的分诊台</Text>
          <Picker
            mode='selector'
            range={desks.map((d) => d.name)}
            value={desk}
            onChange={(e) => setDesk(Number(e.detail.value))}
          >
            <View className='triage__input triage__picker'>
              <Text>{desks[desk]?.name}</Text>
            </View>
          </Picker>
          <Text className='triage__label'>回访电话（可选，护士可能致电）</Text>
          <Input
            className='triage__input'
            type='number'
            value={phone}
            maxlength={11}
            placeholder='11位手机号'
            onInput={(e) => setPhone(digitsOnly(11)(e.detail.value))}
          />
          {error && <Text className='triage__error'>{error}</Text>}
          <View className='actions'>
            <Button
              type='primary'
              size='large'
              block
              loading={sending}
              disabled={!summary.trim() || !text.trim()}
              onClick={() => void send()}
            >
              提交咨询
            </Button>
            <Button size='large' block onClick={() => setWriting(false)}>
              取消
            </Button>
          </View>
        </View>
      ) : (
        <View className='actions'>
          <Button type='primary' size='large' block onClick={() => setWriting(true)}>
            咨询分诊护士
          </Button>
        </View>
      )}
      <Text className='section-title'>我的咨询</Text>
      <StatusView
        loading={list.loading && !list.data}
        error={list.error}
        empty={list.data?.items.length === 0}
        emptyText='还没有咨询记录'
        onRetry={list.reload}
      />
      {list.data?.items.map((t) => (
        <View
          key={t.id}
          className='card card--tap triage__hospital'
          role='button'
          onClick={() => void Taro.navigateTo({ url: `/packages/triage/ticket/index?id=${t.id}` })}
        >
          <View className='name-row'>
            <Text className='name'>{t.summary}</Text>
            <Text className={TICKET_STATUS[t.status].badge}>{TICKET_STATUS[t.status].text}</Text>
          </View>
          <Text className='muted'>
            {shortTime(t.createdAt)}
            {t.recommendedDepartment ? ` · 推荐：${t.recommendedDepartment}` : ''}
          </Text>
        </View>
      ))}
    </View>
  );
}
