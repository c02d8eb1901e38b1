import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  Row,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { get, post } from '../api';
import { useLoad } from '../hooks';
import { useStaff } from '../session';
import type { Page, TriageTicket, TriageTicketDetail } from '../types';

const URGENCY: Record<TriageTicket['urgency'], { text: string; color: string }> = {
  emergency: { text: '紧急', color: 'red' },
  urgent: { text: '尽快', color: 'orange' },
  routine: { text: '常规', color: 'blue' },
};
const STATUS: Record<TriageTicket['status'], { text: string; color: string }> = {
  open: { text: '待接单', color: 'gold' },
  claimed: { text: '处理中', color: 'processing' },
  closed: { text: '已结束', color: 'default' },
};
const OUTCOMES = [
  { value: 'reached', label: '已接通' },
  { value: 'no_answer', label: '未接听' },
  { value: 'wrong_number', label: '号码有误' },
];
const time = (iso: string | null) => (iso ? iso.slice(5, 16).replace('T', ' ') : '—');

/**
 * 分诊工作台: the queue of human triage tickets in the caller's scope (most
 * urgent first, then longest waiting; unclaimed ones waiting too long
 * flagged), and the chosen ticket: claim, reply, recommend a department,
 * request or log a callback, close. Every action is audited by the server.
 */
export default function TriagePage() {
  const { message } = App.useApp();
  const staff = useStaff();
  const [status, setStatus] = useState<'active' | 'open' | 'claimed' | 'closed'>('active');
  const [mine, setMine] = useState(false);
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string>();
  const [detail, setDetail] = useState<TriageTicketDetail>();
  const [reply, setReply] = useState('');
  const [department, setDepartment] = useState<string>();
  const [outcome, setOutcome] = useState<string>();
  const [phone, setPhone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const queue = useLoad(
    () =>
      get<Page<TriageTicket> & { overdueMinutes: number }>('/triage/tickets', {
        status,
        mine: mine ? 'true' : undefined,
        page,
        pageSize: 20,
      }),
    [status, mine, page],
  );
  const departments = useLoad(
    () =>
      fetch('/api/v1/triage/knowledge')
        .then((r) => r.json())
        .then((k: { departments: string[] }) => k.departments),
    [],
  );

  // Another ticket: nothing typed or revealed for the last one may stay (or arrive late) on this one.
  const current = useRef(selected);
  useEffect(() => {
    current.current = selected;
    setPhone(undefined);
    setDetail(undefined);
    setReply('');
    setDepartment(undefined);
    setOutcome(undefined);
    if (selected) {
      void get<TriageTicketDetail>(`/triage/tickets/${selected}`).then((d) => current.current === d.id && setDetail(d));
    }
  }, [selected]);

  const act = async (path: string, body: unknown, done: string) => {
    if (!detail) return;
    setBusy(true);
    try {
      const updated = await post<TriageTicketDetail>(`/triage/tickets/${detail.id}/${path}`, body);
      if (current.current === updated.id) setDetail(updated);
      message.success(done);
      void queue.reload();
      return true;
    } catch (e) {
      message.error((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const mineToWork = detail && (detail.claimedBy === staff.username || staff.role === 'platform_admin');
  const working = Boolean(detail && detail.status !== 'closed' && mineToWork);

  return (
    <Row gutter={16} wrap={false}>
      <Col flex='560px'>
        <Card
          title='分诊队列'
          extra={
            <Space>
              <Switch checked={mine} onChange={setMine} /> 只看我的
            </Space>
          }
          styles={{ body: { padding: 0 } }}
        >
          <div style={{ padding: '12px 16px' }}>
            <Segmented
              value={status}
              onChange={(v) => {
                setStatus(v as typeof status);
                setPage(1);
              }}
              options={[
                { value: 'active', label: '未结束' },
                { value: 'open', label: '待接单' },
                { value: 'claimed', label: '处理中' },
                { value: 'closed', label: '已结束' },
              ]}
            />
            {queue.data && (
              <Typography.Text type='secondary' style={{ marginLeft: 12 }}>
                待接单超过 {queue.data.overdueMinutes} 分钟标记为超时
              </Typography.Text>
            )}
          </div>
          <Table<TriageTicket>
            rowKey='id'
            size='middle'
            loading={queue.loading}
            dataSource={queue.data?.items}
            onRow={(t) => ({ onClick: () => setSelected(t.id), style: { cursor: 'pointer' } })}
            rowClassName={(t) => (t.id === selected ? 'ant-table-row-selected' : '')}
            pagination={{
              current: page,
              pageSize: 20,
              total: queue.data?.total,
              onChange: setPage,
              showSizeChanger: false,
            }}
            columns={[
              {
                title: '紧急程度',
                dataIndex: 'urgency',
                width: 96,
                render: (u: TriageTicket['urgency']) => <Tag color={URGENCY[u].color}>{URGENCY[u].text}</Tag>,
              },
              { title: '问题概要', dataIndex: 'summary', ellipsis: true },
              {
                title: '等待',
                width: 120,
                render: (_, t) => (
                  <Space size={4}>
                    <span>{t.waitingMinutes} 分钟</span>
                    {t.overdue && <Tag color='red'>超时</Tag>}
                  </Space>
                ),
              },
              {
                title: '状态',
                width: 110,
                render: (_, t) => (
                  <Space direction='vertical' size={0}>
                    <Badge status={STATUS[t.status].color as 'default'} text={STATUS[t.status].text} />
                    {t.claimedBy && <Typography.Text type='secondary'>{t.claimedBy}</Typography.Text>}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col flex='auto'>
        {!detail ? (
          <Card>
            <Empty description='在左侧选择一个分诊单' />
          </Card>
        ) : (
          <Card
            title={
              <Space>
                <Tag color={URGENCY[detail.urgency].color}>{URGENCY[detail.urgency].text}</Tag>
                {detail.summary}
              </Space>
            }
            extra={
              detail.status === 'open' ? (
                <Button type='primary' loading={busy} onClick={() => void act('claim', undefined, '已接单')}>
                  接单
                </Button>
              ) : (
                <Tag color={STATUS[detail.status].color}>{STATUS[detail.status].text}</Tag>
              )
            }
          >
            {detail.overdue && (
              <Alert type='warning' showIcon style={{ marginBottom: 12 }} message='该分诊单等待时间过长，请尽快接单' />
            )}
            <Descriptions size='small' column={2} style={{ marginBottom: 12 }}>
              <Descriptions.Item label='提交时间'>{time(detail.createdAt)}</Descriptions.Item>
              <Descriptions.Item label='接单'>
                {detail.claimedBy ? `${detail.claimedBy} · ${time(detail.claimedAt)}` : '—'}
              </Descriptions.Item>
              <Descriptions.Item label='回访电话'>
                <Space>
                  {phone ?? detail.callbackPhone ?? '未留'}
                  {detail.callbackPhone && working && !phone && (
                    <Button
                      size='small'
                      onClick={() =>
                        void post<{ phone: string }>(`/triage/tickets/${detail.id}/phone`).then(
                          (r) => current.current === detail.id && setPhone(r.phone),
                          (e: Error) => message.error(e.message),
                        )
                      }
                    >
                      查看完整号码
                    </Button>
                  )}
                  {detail.callbackRequested && <Tag color='purple'>待回访</Tag>}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label='推荐科室'>{detail.recommendedDepartment ?? '—'}</Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph style={{ background: '#f5f7fa', padding: 12, borderRadius: 8 }}>
              {detail.text}
            </Typography.Paragraph>
            <Timeline
              items={detail.messages.map((m) => ({
                color: m.author === 'patient' ? 'blue' : m.kind === 'status' ? 'gray' : 'green',
                children: (
                  <>
                    <Typography.Text type='secondary'>
                      {m.author === 'patient' ? '患者' : (m.staff ?? '分诊护士')} · {time(m.createdAt)}
                    </Typography.Text>
                    <div>{m.body}</div>
                  </>
                ),
              }))}
            />
            {working && (
              <Space direction='vertical' style={{ width: '100%' }} size='middle'>
                <Input.TextArea
                  rows={3}
                  maxLength={1000}
                  placeholder='回复患者'
                  value={reply}
                  onChange={(e) => setReply(e.target.value)}
                />
                <Space wrap>
                  <Button
                    type='primary'
                    loading={busy}
                    disabled={!reply.trim()}
                    onClick={() =>
                      void act('messages', { text: reply }, '已回复，患者将收到通知').then((ok) => ok && setReply(''))
                    }
                  >
                    发送回复
                  </Button>
                  <Select
                    showSearch
                    placeholder='推荐科室'
                    style={{ width: 180 }}
                    value={department}
                    onChange={setDepartment}
                    options={(departments.data ?? []).map((d) => ({ value: d, label: d }))}
                  />
                  <Button
                    disabled={!department}
                    loading={busy}
                    onClick={() => void act('recommendation', { department }, '已推荐科室')}
                  >
                    推荐
                  </Button>
                </Space>
                <Space wrap>
                  <Button
                    disabled={!detail.callbackPhone}
                    onClick={() => void act('callback', { action: 'request' }, '已标记待回访')}
                  >
                    请求电话回访
                  </Button>
                  <Select
                    placeholder='回访结果'
                    style={{ width: 140 }}
                    value={outcome}
                    onChange={setOutcome}
                    options={OUTCOMES}
                  />
                  <Button
                    disabled={!outcome || !detail.callbackPhone}
                    onClick={() => void act('callback', { action: 'log', outcome }, '已记录回访结果')}
                  >
                    记录回访
                  </Button>
                  <Button danger onClick={() => void act('close', {}, '分诊单已结束')}>
                    结束分诊
                  </Button>
                </Space>
              </Space>
            )}
          </Card>
        )}
      </Col>
    </Row>
  );
}
