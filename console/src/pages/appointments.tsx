import { useState } from 'react';
import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { get, post } from '../api';
import { HospitalSelect, useHospitals, useLoad } from '../hooks';
import { APPOINTMENT_STATUS, CONFIRMATION, PERIOD, TITLE } from '../labels';
import type { Appointment, DoctorRef, Page } from '../types';

interface Filters {
  hospitalId?: string;
  bookingCode?: string;
  date?: Dayjs;
  doctorId?: string;
  status?: string;
}

const MARKS = [
  { status: 'checked_in', label: '签到', from: 'booked' },
  { status: 'completed', label: '完成', from: 'checked_in' },
  { status: 'no_show', label: '爽约', from: 'booked' },
] as const;

/** 预约管理: search by booking code, date, doctor and status; patients masked; mark check-in, completion, no-show. */
export default function AppointmentsPage() {
  const { message } = App.useApp();
  const [form] = Form.useForm<Filters>();
  const hospitals = useHospitals();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const hospitalId = Form.useWatch('hospitalId', form);
  const doctors = useLoad(
    () =>
      hospitalId
        ? get<{ items: DoctorRef[] }>(`/hospitals/${hospitalId}/doctors`).then((r) => r.items)
        : Promise.resolve([]),
    [hospitalId],
  );
  const list = useLoad(
    () =>
      get<Page<Appointment>>('/appointments', {
        hospitalId: filters.hospitalId,
        bookingCode: filters.bookingCode?.trim(),
        date: filters.date?.format('YYYY-MM-DD'),
        doctorId: filters.doctorId,
        status: filters.status,
        page,
        pageSize: 20,
      }),
    [filters, page],
  );

  const mark = async (a: Appointment, status: string, label: string) => {
    try {
      await post(`/appointments/${a.id}/status`, { status });
      message.success(`预约 ${a.bookingCode} 已标记为${label}`);
      void list.reload();
    } catch (e) {
      message.error((e as Error).message);
    }
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
          <Form.Item name='hospitalId'>
            <HospitalSelect hospitals={hospitals.data} allowClear style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name='bookingCode'>
            <Input placeholder='预约码' allowClear style={{ width: 130 }} />
          </Form.Item>
          <Form.Item name='date'>
            <DatePicker placeholder='就诊日期' />
          </Form.Item>
          <Form.Item name='doctorId'>
            <Select
              showSearch
              allowClear
              placeholder='医生'
              disabled={!hospitalId}
              optionFilterProp='label'
              style={{ width: 150 }}
              options={(doctors.data ?? []).map((d) => ({ value: d.id, label: `${d.name} ${TITLE[d.title]}` }))}
            />
          </Form.Item>
          <Form.Item name='status'>
            <Select
              allowClear
              placeholder='状态'
              style={{ width: 110 }}
              options={Object.entries(APPOINTMENT_STATUS).map(([value, s]) => ({ value, label: s.text }))}
            />
          </Form.Item>
          <Button type='primary' htmlType='submit'>
            查询
          </Button>
        </Form>
      </Card>
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Appointment>
          rowKey='id'
          loading={list.loading}
          dataSource={list.data?.items}
          size='middle'
          pagination={{
            current: page,
            pageSize: 20,
            total: list.data?.total,
            showSizeChanger: false,
            showTotal: (n) => `共 ${n} 条`,
            onChange: setPage,
          }}
          columns={[
            {
              title: '预约码',
              dataIndex: 'bookingCode',
              width: 110,
              render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
            },
            {
              title: '就诊时间',
              key: 'time',
              width: 160,
              render: (_: unknown, a) => `${a.date} ${PERIOD[a.period]} ${a.startAt.slice(11, 16)}`,
            },
            { title: '医院', dataIndex: ['hospital', 'name'], width: 160, ellipsis: true },
            { title: '科室', dataIndex: ['department', 'name'], width: 90 },
            { title: '医生', key: 'doctor', width: 90, render: (_: unknown, a) => a.doctor.name },
            {
              title: '就诊人',
              key: 'patient',
              width: 190,
              render: (_: unknown, a) => (
                <Space direction='vertical' size={0}>
                  <span>{a.patient.name}</span>
                  <Typography.Text type='secondary' style={{ fontSize: 12 }}>
                    {a.patient.idNumber} {a.patient.phone}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: '状态',
              key: 'status',
              width: 90,
              render: (_: unknown, a) => {
                const s = APPOINTMENT_STATUS[a.status];
                const tag = <Tag color={s.color}>{s.text}</Tag>;
                return a.cancelReason ? <Tooltip title={a.cancelReason}>{tag}</Tooltip> : tag;
              },
            },
            {
              title: '医院确认',
              dataIndex: 'hospitalConfirmation',
              width: 96,
              render: (v: string) => <Typography.Text type='secondary'>{CONFIRMATION[v]}</Typography.Text>,
            },
            {
              title: '操作',
              key: 'op',
              width: 150,
              render: (_: unknown, a) => (
                <Space size={4}>
                  {MARKS.filter((m) => m.from === a.status).map((m) => (
                    <Popconfirm
                      key={m.status}
                      title={`将预约 ${a.bookingCode} 标记为${m.label}？`}
                      okText='确定'
                      cancelText='取消'
                      onConfirm={() => mark(a, m.status, m.label)}
                    >
                      <Button size='small' danger={m.status === 'no_show'}>
                        {m.label}
                      </Button>
                    </Popconfirm>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
