import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Row,
  Space,
  Spin,
  Tag,
} from 'antd';
import { bookingRules } from '@common/console/forms';
import { ApiError, get, put } from '../api';
import { showServerErrors, validate } from '../forms';
import { useLoad } from '../hooks';
import { HOSPITAL_LEVEL, shTime } from '../labels';
import type { HospitalDetail } from '../types';
import { NotFound } from './misc';

const NUMBER_FIELDS: Array<[string, string, string]> = [
  ['windowDays', '预约周期', '天'],
  ['cancelCutoffHours', '退号截止（就诊前）', '小时'],
  ['maxActive', '每个账号最多有效预约', '个'],
  ['noShowLimit', '爽约次数上限', '次'],
  ['noShowWindowDays', '爽约统计周期', '天'],
  ['suspendDays', '达到上限后暂停预约', '天'],
];

/** One hospital: its profile (from its HIS), HIS health, and its booking rules, edited with the shared schema. */
export default function HospitalPage() {
  const { id } = useParams();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const { data, error, loading, setData } = useLoad(() => get<HospitalDetail>(`/hospitals/${id}`), [id]);

  useEffect(() => {
    if (data) form.setFieldsValue(data.rules);
  }, [data, form]);

  if (error)
    return (error as ApiError).status === 404 ? (
      <NotFound what='医院' />
    ) : (
      <Alert type='error' message={error.message} />
    );
  if (loading && !data) return <Spin style={{ display: 'block', margin: '80px auto' }} />;
  const h = data!;

  const save = async (values: unknown) => {
    const body = validate(bookingRules, form, values);
    if (!body) return;
    setSaving(true);
    try {
      setData(await put<HospitalDetail>(`/hospitals/${id}/rules`, body));
      message.success('预约规则已保存，新的预约立即按此规则执行');
    } catch (err) {
      if (!showServerErrors(err, form)) message.error((err as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space direction='vertical' size='large' style={{ width: '100%' }}>
      <Card title={h.name} extra={<Tag color='blue'>{HOSPITAL_LEVEL[h.level]}</Tag>}>
        <Descriptions column={3} size='small'>
          <Descriptions.Item label='编码'>{h.code}</Descriptions.Item>
          <Descriptions.Item label='所在区'>{h.district}</Descriptions.Item>
          <Descriptions.Item label='电话'>{h.phone || '—'}</Descriptions.Item>
          <Descriptions.Item label='地址' span={2}>
            {h.address}
          </Descriptions.Item>
          <Descriptions.Item label='资料同步'>{shTime(h.catalogSyncedAt)}</Descriptions.Item>
          <Descriptions.Item label='HIS 状态'>
            {h.his.status === 'online' ? (
              <Badge status='success' text='正常' />
            ) : (
              <Badge status='error' text='熔断中' />
            )}
          </Descriptions.Item>
          <Descriptions.Item label='近期调用'>
            {h.his.calls} 次，失败 {h.his.failures} 次
          </Descriptions.Item>
          <Descriptions.Item label='延迟'>
            {h.his.latencyMs
              ? `平均 ${Math.round(h.his.latencyMs.mean)} ms / P95 ${Math.round(h.his.latencyMs.p95)} ms`
              : '—'}
          </Descriptions.Item>
        </Descriptions>
        {h.his.scheduleAnomaly && (
          <Alert
            type='warning'
            showIcon
            style={{ marginTop: 12 }}
            message={h.his.scheduleAnomaly}
            description={shTime(h.his.scheduleAnomalyAt)}
          />
        )}
      </Card>
      <Card title='预约规则' extra={h.rulesCustomised ? <Tag color='green'>本院规则</Tag> : <Tag>平台默认规则</Tag>}>
        <Form form={form} layout='vertical' onFinish={save} requiredMark={false} data-testid='rules-form'>
          <Row gutter={24}>
            <Col span={8}>
              <Form.Item name='releaseTime' label='放号时间（提前“预约周期”天）' extra='格式 HH:MM'>
                <Input placeholder='08:00' />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name='stopTime' label='当日停挂时间' extra='必须晚于放号时间'>
                <Input placeholder='16:00' />
              </Form.Item>
            </Col>
            {NUMBER_FIELDS.map(([name, label, unit]) => (
              <Col span={8} key={name}>
                <Form.Item name={name} label={label}>
                  <InputNumber style={{ width: '100%' }} addonAfter={unit} precision={0} />
                </Form.Item>
              </Col>
            ))}
          </Row>
          <Button type='primary' htmlType='submit' loading={saving}>
            保存规则
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
