import { Link } from 'react-router-dom';
import { Card, Table, Typography } from 'antd';
import { useHospitals } from '../hooks';
import { HOSPITAL_LEVEL } from '../labels';
import type { Hospital } from '../types';

/** 医院与规则: the caller's hospitals. */
export default function HospitalsPage() {
  const { data, loading } = useHospitals();
  return (
    <Card title='医院与规则'>
      <Table<Hospital>
        rowKey='id'
        loading={loading}
        dataSource={data}
        pagination={{ pageSize: 15, hideOnSinglePage: true, showSizeChanger: false }}
        columns={[
          { title: '编码', dataIndex: 'code', width: 120 },
          {
            title: '医院',
            dataIndex: 'name',
            render: (name: string, h) => <Link to={`/hospitals/${h.id}`}>{name}</Link>,
          },
          { title: '等级', dataIndex: 'level', width: 120, render: (v: string) => HOSPITAL_LEVEL[v] ?? v },
          { title: '区', dataIndex: 'district', width: 120 },
          {
            title: '操作',
            key: 'op',
            width: 140,
            render: (_: unknown, h) => <Link to={`/hospitals/${h.id}`}>查看与修改规则</Link>,
          },
        ]}
      />
      <Typography.Text type='secondary'>
        医院资料由各医院 HIS 同步；预约规则在此修改，保存后对新的预约立即生效。
      </Typography.Text>
    </Card>
  );
}
