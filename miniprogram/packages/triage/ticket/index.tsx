import { useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Textarea } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api, ApiError } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import { StatusView } from '../../../components/status-view';
import { useSingleFlight } from '../../../lib/use-single-flight';
import { TICKET_STATUS, shortTime } from '../status';
import '../triage.css';

/** One 人工分诊 ticket: status, the conversation, a reply, and booking the recommended department. */
export default function TriageTicketPage() {
  const ticketId = useRouter().params.id ?? '';
  const ticket = useRequest(() => api.triage.ticket(ticketId), [ticketId]);
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  useDidShow(() => ticket.reload());
  const [send, sending] = useSingleFlight(async () => {
    setError('');
    try {
      await api.triage.replyTicket(ticketId, text.trim());
      setText('');
      ticket.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '发送失败，请稍后重试');
    }
  });
  const t = ticket.data;

  return (
    <View className='page triage'>
      <StatusView loading={ticket.loading && !t} error={ticket.error} onRetry={ticket.reload} />
      {t && (
        <>
          <View className='card triage__card'>
            <View className='name-row'>
              <Text className='name'>{t.summary}</Text>
              <Text className={TICKET_STATUS[t.status].badge}>{TICKET_STATUS[t.status].text}</Text>
            </View>
            <Text className='triage__reason muted'>{shortTime(t.createdAt)} 提交</Text>
            <Text className='triage__question-text'>{t.text}</Text>
            {t.callbackPhone && (
              <Text className='triage__reason muted'>
                回访电话：{t.callbackPhone}
                {t.callbackRequested ? '（护士将致电，请留意来电）' : ''}
              </Text>
            )}
          </View>
          {t.recommendedDepartment && (
            <View className='card triage__department'>
              <View className='name-row'>
                <Text className='name'>{t.recommendedDepartment}</Text>
                <Text className='badge'>护士推荐</Text>
              </View>
              <Button
                type='primary'
                size='large'
                block
                onClick={() =>
                  void Taro.navigateTo({
                    url: `/packages/triage/book/index?department=${encodeURIComponent(t.recommendedDepartment!)}`,
                  })
                }
              >
                预约{t.recommendedDepartment}
              </Button>
            </View>
          )}
          <Text className='section-title'>对话</Text>
          {t.messages.length === 0 && <Text className='empty'>护士接单后会在这里回复您</Text>}
          {t.messages.map((m) => (
            <View key={m.id} className={`triage__message is-${m.author} is-${m.kind}`}>
              <Text className='triage__message-who muted'>
                {m.author === 'patient' ? '我' : '分诊护士'} · {shortTime(m.createdAt)}
              </Text>
              <Text className='triage__message-body'>{m.body}</Text>
            </View>
          ))}
          {t.status !== 'closed' && (
            <View className='card triage__card'>
              <Textarea
                className='triage__textarea'
                value={text}
                maxlength={1000}
                placeholder='补充说明或回复护士'
                onInput={(e) => setText(e.detail.value)}
              />
              {error && <Text className='triage__error'>{error}</Text>}
              <View className='actions'>
                <Button
                  type='primary'
                  size='large'
                  block
                  loading={sending}
                  disabled={!text.trim()}
                  onClick={() => void send()}
                >
                  发送
                </Button>
              </View>
            </View>
          )}
        </>
      )}
    </View>
  );
}
