import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { addCapacity, stopSession } from '@common/console/forms';
import { ApiError, get, post } from '../api';
import { showServerErrors, validate } from '../forms';
import { HospitalSelect, useHospitals, useLoad } from '../hooks';
import { LEVEL, PERIOD, TITLE, fen } from '../labels';
import { NotFound } from './misc';
import type { CapacityResult, ConsoleSlot, Named, Schedule, ScheduleSession, StopResult } from '../types';

type Row = ScheduleSession & { key: string; doctor: Schedule['doctors'][number]['doctor'] };

const today = () => dayjs().format('YYYY-MM-DD');

/** 排班与号源: a department's sessions on a date; 停诊 a session, 加号 on a slot. */
export default function SchedulePage() {
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const hospitals = useHospitals();
  const hospitalId = params.get('hospital') ?? hospitals.data?.[0]?.id;
  const departmentId = params.get('department') ?? undefined;
  const date = params.get('date') ?? today();
  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes))
      if (v) next.set(k, v);
      else next.delete(k);
    setParams(next, { replace: true });
  };

  const departments = useLoad(
    () =>
      hospitalId
        ? get<{ items: Named[] }>(`/hospitals/${hospitalId}/departments`).then((r) => r.items)
        : Promise.resolve([]),
    [hospitalId],
  );
  useEffect(() => {
    if (!departmentId && departments.data?.length) set({ department: departments.data[0].id });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [departments.data, departmentId]);

  const schedule = useLoad(
    () =>
      departmentId ? get<Schedule>(`/departments/${departmentId}/schedule`, { date }) : Promise.resolve(undefined),
    [departmentId, date],
  );
  const [stopping, setStopping] = useState<Row>();
  const [adding, setAdding] = useState<ConsoleSlot>();

  // An id from a link or an old bookmark that is not among the caller's: the same answer as the server's 404.
  if (hospitals.data && hospitalId && !hospitals.data.some((h) => h.id === hospitalId)) return <NotFound what='医院' />;
  if ((schedule.error as ApiError | undefined)?.status === 404) return <NotFound what='科室' />;

  const rows: Row[] = (schedule.data?.doctors ?? []).flatMap((d) =>
    d.sessions.map((s) => ({ ...s, key: `${d.doctor.id}-${s.period}`, doctor: d.doctor })),
  );

  return (
    <Space direction='vertical' size='large' style={{ width: '100%' }}>
      <Card>
        <Space wrap>
          <HospitalSelect
            hospitals={hospitals.data}
            value={hospitalId}
            onChange={(id) => set({ hospital: id, department: undefined })}
          />
          <Select
            showSearch
            placeholder='选择科室'
            optionFilterProp='label'
            style={{ width: 200 }}
            value={departmentId}
            loading={departments.loading}
            onChange={(id: string) => set({ department: id })}
            options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
            data-testid='department-select'
          />
          <DatePicker
            allowClear={false}
            value={dayjs(date)}
            onChange={(d) => d && set({ date: d.format('YYYY-MM-DD') })}
            data-testid='schedule-date'
          />
        </Space>
      </Card>
      <Card
        title={
          schedule.data ? `${schedule.data.hospital.name} · ${schedule.data.department.name} · ${date}` : '排班与号源'
        }
        styles={{ body: { padding: 0 } }}
      >
        {schedule.error && <Alert type='error' message={schedule.error.message} />}
        <Table<Row>
          rowKey='key'
          loading={schedule.loading}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: <Empty description='当天没有出诊' /> }}
          expandable={{
            expandedRowRender: (r) => <SlotTable slots={r.slots} stopped={r.stopped} onAdd={setAdding} />,
          }}
          columns={[
            {
              title: '医生',
              key: 'doctor',
              render: (_: unknown, r) => (
                <Space>
                  <Typography.Text strong>{r.doctor.name}</Typography.Text>
                  <Typography.Text type='secondary'>{TITLE[r.doctor.title]}</Typography.Text>
                </Space>
              ),
            },
            { title: '时段', dataIndex: 'period', width: 70, render: (v: string) => PERIOD[v] },
            { title: '号别', dataIndex: 'level', width: 140, render: (v: string, r) => `${LEVEL[v]} ${fen(r.feeFen)}` },
            { title: '号源', dataIndex: 'capacity', width: 70, align: 'right' },
            { title: '已约', dataIndex: 'booked', width: 70, align: 'right' },
            { title: '剩余', dataIndex: 'remaining', width: 70, align: 'right' },
            { title: '候补', dataIndex: 'waiting', width: 70, align: 'right' },
            {
              title: '状态',
              key: 'state',
              width: 90,
              render: (_: unknown, r) =>
                r.stopped ? (
                  <Tag color='red'>已停诊</Tag>
                ) : r.started ? (
                  <Tag>已开诊</Tag>
                ) : (
                  <Tag color='green'>正常</Tag>
                ),
            },
            {
              title: '操作',
              key: 'op',
              width: 90,
              render: (_: unknown, r) => (
                <Button danger size='small' disabled={r.stopped} onClick={() => setStopping(r)}>
                  停诊
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {stopping && (
        <StopModal
          row={stopping}
          date={date}
          onClose={() => setStopping(undefined)}
          onDone={(r) => {
            setStopping(undefined);
            message.success(`已停诊：${r.slots} 个时段关闭，${r.cancelled} 个预约已取消并通知患者`);
            void schedule.reload();
          }}
        />
      )}
      {adding && (
        <AddModal
          slot={adding}
          onClose={() => setAdding(undefined)}
          onDone={(r) => {
            setAdding(undefined);
            message.success(
              `已加号，现有号源 ${r.slot.capacity} 个${r.promoted ? `，${r.promoted} 位候补患者已获得号源` : ''}`,
            );
            void schedule.reload();
          }}
        />
      )}
    </Space>
  );
}

function SlotTable({
  slots,
  stopped,
  onAdd,
}: {
  slots: ConsoleSlot[];
  stopped: boolean;
  onAdd: (s: ConsoleSlot) => void;
}) {
  return (
    <Table<ConsoleSlot>
      rowKey='id'
      size='small'
      pagination={false}
      dataSource={slots}
      columns={[
        { title: '时间', key: 't', render: (_: unknown, s) => `${s.startAt.slice(11, 16)}-${s.endAt.slice(11, 16)}` },
        {
          title: '号源',
          dataIndex: 'capacity',
          render: (v: number, s) => (s.addedCapacity ? `${v}（含加号 ${s.addedCapacity}）` : v),
        },
        { title: '已约', dataIndex: 'booked' },
        { title: '剩余', dataIndex: 'remaining' },
        { title: '候补', dataIndex: 'waiting' },
        {
          title: '操作',
          key: 'op',
          width: 90,
          render: (_: unknown, s) => (
            <Button
              size='small'
              disabled={stopped || s.closed || new Date(s.startAt) <= new Date()}
              onClick={() => onAdd(s)}
            >
              加号
            </Button>
          ),
        },
      ]}
    />
  );
}

function StopModal(props: { row: Row; date: string; onClose: () => void; onDone: (r: StopResult) => void }) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const { row } = props;
  const submit = async () => {
    const body = validate(stopSession, form, {
      doctorId: row.doctor.id,
      date: props.date,
      period: row.period,
      reason: form.getFieldValue('reason') ?? '',
    });
    if (!body) return;
    setBusy(true);
    try {
      props.onDone(await post<StopResult>('/sessions/stop', body));
    } catch (err) {
      if (!showServerErrors(err, form)) form.setFields([{ name: 'reason', errors: [(err as Error).message] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={`停诊：${row.doctor.name} ${props.date} ${PERIOD[row.period]}`}
      okText='确认停诊'
      okButtonProps={{ danger: true, loading: busy }}
      cancelText='取消'
      onOk={() => void submit()}
      onCancel={props.onClose}
    >
      <Alert
        type='warning'
        showIcon
        style={{ marginBottom: 16 }}
        message={`将关闭该时段全部号源，取消 ${row.booked} 个已有预约并通知患者，结束 ${row.waiting} 个候补。`}
      />
      <Form form={form} layout='vertical' requiredMark={false}>
        <Form.Item name='reason' label='停诊原因（患者可见）'>
          <Input.TextArea rows={3} maxLength={60} showCount placeholder='如：专家临时外出会诊' />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AddModal(props: { slot: ConsoleSlot; onClose: () => void; onDone: (r: CapacityResult) => void }) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const body = validate(addCapacity, form, {
      count: form.getFieldValue('count'),
      reason: form.getFieldValue('reason') ?? '',
    });
    if (!body) return;
    setBusy(true);
    try {
      props.onDone(await post<CapacityResult>(`/slots/${props.slot.id}/capacity`, body));
    } catch (err) {
      if (!showServerErrors(err, form)) form.setFields([{ name: 'count', errors: [(err as Error).message] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={`加号：${props.slot.startAt.slice(0, 16).replace('T', ' ')}`}
      okText='确认加号'
      okButtonProps={{ loading: busy }}
      cancelText='取消'
      onOk={() => void submit()}
      onCancel={props.onClose}
    >
      <Typography.Paragraph type='secondary'>
        新增号源优先分配给该时段的候补患者，加号记录会写入审计日志。
      </Typography.Paragraph>
      <Form form={form} layout='vertical' requiredMark={false} initialValues={{ count: 1 }}>
        <Form.Item name='count' label='加号数量'>
          <InputNumber min={1} max={20} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name='reason' label='加号原因'>
          <Input maxLength={60} placeholder='如：患者病情需要，专家同意加号' />
        </Form.Item>
      </Form>
    </Modal>
  );
}
