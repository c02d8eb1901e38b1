import { useState } from 'react';
import { Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { API, get } from '../api';
import { HospitalSelect, useHospitals, useLoad } from '../hooks';
import { ACTIONS, ROLE_LABELS, shTime } from '../labels';
import type { AuditEvent, Page } from '../types';

interface Filters {
  username?: string;
  action?: string;
  hospitalId?: string;
  range?: [Dayjs, Dayjs];
}

const query = (f: Filters) => ({
  username: f.username?.trim(),
  action: f.action,
  hospitalId: f.hospitalId,
  from: f.range?.[0]?.format('YYYY-MM-DD'),
  to: f.range?.[1]?.format('YYYY-MM-DD'),
});

/** 审计日志: who did what to which record, filtered; exported as CSV. */
export default function AuditPage() {
  const [form] = Form.useForm<Filters>();
  const hospitals = useHospitals();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const list = useLoad(
    () => get<Page<AuditEvent>>('/audit-events', { ...query(filters), page, pageSize: 20 }),
    [filters, page],
  );
  const exportUrl = () => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query(filters))) if (v) params.set(k, v);
    return `${API}/audit-events/export?${params}`;
  };

  return (
    <Space direction='vertical' size='large' style={{ width: '100%' }}>
      <Card>
        <Form
          form={form}
          layout='inline'
          onFinish={(v) => {
            setPage(1);
            setFilters({ ...v });
          }}
        >
          <Form.Item name='username'>
            <Input placeholder='账号' allowClear style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name='action'>
            <Select
              allowClear
              showSearch
              placeholder='操作'
              optionFilterProp='label'
              style={{ width: 170 }}
              options={Object.entries(ACTIONS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item name='hospitalId'>
            <HospitalSelect hospitals={hospitals.data} allowClear style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name='range'>
            <DatePicker.RangePicker />
          </Form.Item>
          <Button type='primary' htmlType='submit'>
            查询
          </Button>
        </Form>
      </Card>
      <Card
        title='审计日志'
        extra={
          <Button icon={<DownloadOutlined />} href={exportUrl()}>
            导出 CSV
          </Button>
        }
        styles={{ body: { padding: 0 } }}
      >
        <Table<AuditEvent>
          rowKey='id'
          size='middle'
          loading={list.loading}
          dataSource={list.data?.items}
          pagination={{
            current: page,
            total: list.data?.total,
            pageSize: 20,
            onChange: setPage,
            showSizeChanger: false,
            showTotal: (n) => `共 ${n} 条`,
          }}
          columns={[
            { title: '时间', dataIndex: 'at', width: 140, render: (v: string) => shTime(v) },
            {
              title: '账号',
              key: 'who',
              width: 190,
              render: (_: unknown, e) => (
                <Space size={4}>
                  <span>{e.username ?? '—'}</span>
                  {e.role && <Tag>{ROLE_LABELS[e.role as keyof typeof ROLE_LABELS] ?? e.role}</Tag>}
                </Space>
              ),
            },
            { title: '操作', dataIndex: 'action', width: 150, render: (v: string) => ACTIONS[v] ?? v },
            {
              title: '对象',
              key: 'target',
              width: 200,
              render: (_: unknown, e) => (e.targetId ? <Typography.Text code>{e.targetId}</Typography.Text> : '—'),
            },
            { title: '医院', dataIndex: 'hospitalName', ellipsis: true, render: (v: string | null) => v ?? '—' },
            { title: 'IP', dataIndex: 'ip', width: 120 },
            {
              title: '详情',
              dataIndex: 'details',
              ellipsis: true,
              render: (v: Record<string, unknown> | null) =>
                v ? (
                  <Tooltip
                    title={<pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(v, null, 2)}</pre>}
                  >
                    <Typography.Text type='secondary' style={{ fontSize: 12 }}>
                      {JSON.stringify(v)}
                    </Typography.Text>
                  </Tooltip>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
