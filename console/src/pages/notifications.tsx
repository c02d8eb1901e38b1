import { useState } from 'react';
import { Card, Radio, Space, Table, Tag, Typography } from 'antd';
import { get } from '../api';
import { useLoad } from '../hooks';
import { shTime } from '../labels';
import type { DeliveryStats } from '../types';

const CHANNEL: Record<string, string> = { wechat: '微信订阅消息', sms: '短信', voice: '语音电话' };
const KIND: Record<string, string> = {
  booking_confirmed: '预约成功',
  booking_cancelled: '预约取消',
  schedule_changed: '停诊通知',
  waitlist_granted: '候补成功',
  visit_reminder: '就诊提醒',
  report_ready: '报告已出',
  critical_value: '危急值',
  queue_near: '即将叫号',
};
const REASON: Record<string, string> = {
  no_wechat: '非微信用户',
  no_subscription: '未订阅（已转下一渠道）',
  NO_SUBSCRIPTION: '微信：用户未授权 43101',
  BAD_OPENID: '微信：openid 无效 40003',
  BAD_DATA: '微信：模板数据不合规 47003',
  no_phone: '无手机号',
  daily_cap: '达到每日上限',
};

/** 通知记录 (platform admins): what was sent on each channel, what failed and why. Dead letters are retried on 仪表盘. */
export default function NotificationsPage() {
  const [days, setDays] = useState(7);
  const stats = useLoad(() => get<DeliveryStats>('/notifications/stats', { days }), [days]);
  const rows = (stats.data?.days ?? []).flatMap((d) =>
    (['wechat', 'sms', 'voice'] as const).map((c) => ({
      key: `${d.date}-${c}`,
      date: d.date,
      channel: c,
      ...d.channels[c],
    })),
  );
  return (
    <Space direction='vertical' size='large' style={{ width: '100%' }}>
      <Card
        title='各渠道发送情况'
        extra={
          <Radio.Group value={days} onChange={(e) => setDays(e.target.value)} optionType='button'>
            <Radio value={1}>今天</Radio>
            <Radio value={7}>7 天</Radio>
            <Radio value={30}>30 天</Radio>
          </Radio.Group>
        }
      >
        <Table
          size='small'
          loading={stats.loading}
          pagination={false}
          dataSource={rows.filter((r) => r.sent + r.failed + r.skipped + r.pending > 0)}
          locale={{ emptyText: '这段时间没有发送记录' }}
          columns={[
            { title: '日期', dataIndex: 'date', width: 140 },
            { title: '渠道', dataIndex: 'channel', render: (c: string) => CHANNEL[c] },
            { title: '已发送', dataIndex: 'sent', align: 'right' },
            {
              title: '失败',
              dataIndex: 'failed',
              align: 'right',
              render: (n: number) => (n ? <Tag color='red'>{n}</Tag> : 0),
            },
            { title: '跳过', dataIndex: 'skipped', align: 'right' },
            { title: '发送中', dataIndex: 'pending', align: 'right' },
          ]}
        />
      </Card>
      <Card title='最近的失败与跳过'>
        <Typography.Paragraph type='secondary'>
          跳过的渠道会按顺序转到下一渠道（微信 → 短信 → 语音）；通知始终保存在患者的“消息”中。
        </Typography.Paragraph>
        <Table
          size='small'
          rowKey={(r) => `${r.notificationId}-${r.channel}`}
          loading={stats.loading}
          dataSource={stats.data?.recent ?? []}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: '时间', dataIndex: 'at', width: 170, render: (t: string) => shTime(t) },
            { title: '通知', dataIndex: 'kind', render: (k: string) => KIND[k] ?? k },
            { title: '渠道', dataIndex: 'channel', render: (c: string) => CHANNEL[c] },
            {
              title: '结果',
              dataIndex: 'status',
              render: (s: string) => (s === 'failed' ? <Tag color='red'>失败</Tag> : <Tag>跳过</Tag>),
            },
            { title: '原因', dataIndex: 'reason', render: (r: string) => REASON[r] ?? r },
            {
              title: '通知编号',
              dataIndex: 'notificationId',
              render: (id: string) => <Typography.Text code>{id}</Typography.Text>,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
