import { Link } from 'react-router-dom';
import { Button, Card, Result } from 'antd';
import { ROLE_LABELS } from '../labels';
import { useStaff } from '../session';

export function NotFound({ what = '页面' }: { what?: string }) {
  return (
    <Result
      status='404'
      title={`${what}不存在`}
      subTitle={`${what}不存在，或不在您的管辖范围内。`}
      extra={
        <Link to='/'>
          <Button type='primary'>返回首页</Button>
        </Link>
      }
    />
  );
}

export function Forbidden() {
  return (
    <Result
      status='403'
      title='无权访问'
      subTitle='您的角色无权访问此页面。'
      extra={
        <Link to='/'>
          <Button type='primary'>返回首页</Button>
        </Link>
      }
    />
  );
}

/** Nurses and experts: their workbenches come with the triage and consultation modules. */
export function Workbench() {
  const staff = useStaff();
  const what = staff.role === 'triage_nurse' ? '分诊工作台' : '我的在线咨询';
  return (
    <Card>
      <Result
        status='info'
        title={`${staff.displayName}，您好`}
        subTitle={`您的角色是${ROLE_LABELS[staff.role]}。${what}将随分诊与咨询功能上线后开放。`}
        extra={
          <Link to='/account'>
            <Button>我的账号</Button>
          </Link>
        }
      />
    </Card>
  );
}
