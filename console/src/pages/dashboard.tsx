import { useState } from 'react';
import { App, Badge, Button, Card, Col, Empty, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import { get, post } from '../api';
import { HospitalSelect, useHospitals, useLoad } from '../hooks';
import { shTime } from '../labels';
import type { Dashboard } from '../types';
import { DailyChart } from './chart';

type Row = Dashboard['hospitals'][number];

/** 仪表盘: today per hospital, HIS health, 14 days of bookings, the outbox (platform admins). */
export default function DashboardPage() {
  const { message } = App.useApp();
  const hospitals = useHospitals();
  const [hospitalId, setHospitalId] = useState<string>();
  const { data, loading, reload } = useLoad(() => get<Dashboard>('/dashboard', { hospitalId }), [hospitalId]);

  const retry = async (id: string) => {
    try {
      await post(`/outbox/${id}/retry`);
      message.success('已重新排队');
      void reload();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const columns = [
    { title: '医院', dataIndex: ['hospital', 'name'], key: 'name', ellipsis: true },
    { title: '今日预约', dataIndex: 'bookings', key: 'b', width: 96, align: 'right' as const },
    { title: '今日取消', dataIndex: 'cancellations', key: 'c', width: 96, align: 'right' as const },
    { title: '今日爽约', dataIndex: 'noShows', key: 'n', width: 96, align: 'right' as const },
    { title: '候补人数', dataIndex: 'waitlist', key: 'w', width: 96, align: 'right' as const },
    {
      title: 'HIS 状态',
      key: 'his',
      width: 120,
      render: (_: unknown, r: Row) =>
        r.his.status === 'online' ? <Badge status='success' text='正常' /> : <Badge status='error' text='熔断中' />,
    },
    {
      title: '错误率',
      key: 'err',
      width: 90,
      align: 'right' as const,
      render: (_: unknown, r: Row) => (r.his.errorRate === null ? '—' : `${(r.his.errorRate * 100).toFixed(1)}%`),
    },
    {
      title: '延迟 P95',
      key: 'lat',
      width: 100,
      align: 'right' as const,
      render: (_: unknown, r: Row) => (r.his.latencyMs ? `${Math.round(r.his.latencyMs.p95)} ms` : '—'),
    },
    {
      title: '排班异常',
      key: 'anomaly',
      width: 110,
      render: (_: unknown, r: Row) =>
        r.his.scheduleAnomaly ? (
          <Tooltip title={`${r.his.scheduleAnomaly}（${shTime(r.his.scheduleAnomalyAt)}）`}>
            <Tag icon={<WarningOutlined />} color='warning'>
              有异常
            </Tag>
          </Tooltip>
        ) : (
          <Typography.Text type='secondary'>无</Typography.Text>
        ),
    },
  ];

  return (
    <Space direction='vertical' size='large' style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          仪表盘{' '}
          <Typography.Text type='secondary' style={{ fontSize: 14 }}>
            {data?.today}
          </Typography.Text>
        </Typography.Title>
        <Space>
          {(hospitals.data?.length ?? 0) > 1 && (
            <HospitalSelect hospitals={hospitals.data} value={hospitalId} onChange={setHospitalId} allowClear />
          )}
          <Button icon={<ReloadOutlined />} onClick={() => void reload()}>
            刷新
          </Button>
        </Space>
      </Space>
      <Row gutter={16}>
        {(
          [
            ['今日预约', data?.totals.bookings, '#1677ff'],
            ['今日取消', data?.totals.cancellations, '#fa8c16'],
            ['今日爽约', data?.totals.noShows, '#f5222d'],
            ['当前候补', data?.totals.waitlist, '#722ed1'],
          ] as const
        ).map(([title, value, color]) => (
          <Col span={6} key={title}>
            <Card loading={loading && !data}>
              <Statistic title={title} value={value ?? 0} valueStyle={{ color }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card title='近14天预约趋势'>{data ? <DailyChart days={data.daily} /> : <Empty />}</Card>
      <Card title='各医院今日概况与 HIS 健康' styles={{ body: { padding: 0 } }}>
        <Table<Row>
          rowKey={(r) => r.hospital.id}
          columns={columns}
          dataSource={data?.hospitals}
          loading={loading}
          size='middle'
          pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
        />
      </Card>
      {data?.outbox && (
        <Row gutter={16}>
          <Col span={10}>
            <Card title='消息投递积压（Outbox）' styles={{ body: { padding: 0 } }}>
              <Table
                rowKey='kind'
                size='small'
                pagination={false}
                dataSource={data.outbox.backlog}
                locale={{ emptyText: '没有积压' }}
                columns={[
                  { title: '任务类型', dataIndex: 'kind' },
                  { title: '待投递', dataIndex: 'open', align: 'right' },
                  { title: '死信', dataIndex: 'dead', align: 'right' },
                ]}
              />
            </Card>
          </Col>
          <Col span={14}>
            <Card title='死信任务' styles={{ body: { padding: 0 } }}>
              <Table
                rowKey='id'
                size='small'
                pagination={{ pageSize: 5, hideOnSinglePage: true }}
                dataSource={data.outbox.deadLetters}
                locale={{ emptyText: '没有死信' }}
                columns={[
                  { title: '任务类型', dataIndex: 'kind', width: 170 },
                  { title: '尝试', dataIndex: 'attempts', width: 60, align: 'right' },
                  { title: '最后错误', dataIndex: 'lastError', ellipsis: true },
                  { title: '进入死信', dataIndex: 'deadAt', width: 140, render: (v: string | null) => shTime(v) },
                  {
                    title: '操作',
                    key: 'op',
                    width: 80,
                    render: (_: unknown, r: { id: string }) => (
                      <Button size='small' onClick={() => void retry(r.id)}>
                        重试
                      </Button>
                    ),
                  },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  );
}
