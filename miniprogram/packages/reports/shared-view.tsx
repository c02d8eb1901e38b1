import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Input } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api, ApiError } from '../../api/client';
import type { SharedReport } from '../../api/types';
import { StatusView } from '../../components/status-view';
import { digitsOnly } from '../../lib/input';
import { useSingleFlight } from '../../lib/use-single-flight';
import { reportTime } from './labels';
import { ReportBody } from './report-body';
import './reports.css';

type State =
  | { kind: 'loading' }
  | { kind: 'report'; report: SharedReport }
  | { kind: 'code'; message?: string }
  | { kind: 'locked'; message: string }
  | { kind: 'gone' }
  | { kind: 'error'; error: ApiError };

const home = () => void Taro.reLaunch({ url: '/pages/index/index' });

/**
 * A report a patient shared, for someone without an account: asks for the access
 * code when the link has one (sent in a header), shows the masked report, or says
 * the link no longer works. Used by the H5 page (token in the URL fragment) and the
 * weapp page a share card opens (token in the query).
 */
export function SharedView({ token }: { token: string }) {
  const [state, setState] = useState<State>(token ? { kind: 'loading' } : { kind: 'gone' });
  const [code, setCode] = useState('');

  const load = async (accessCode?: string) => {
    try {
      setState({ kind: 'report', report: await api.shares.view(token, accessCode) });
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'CLIENT_ERROR', '加载失败，请稍后重试');
      if (err.code === 'ACCESS_CODE_REQUIRED') setState({ kind: 'code' });
      else if (err.code === 'ACCESS_CODE_WRONG') setState({ kind: 'code', message: err.message });
      else if (err.status === 423) setState({ kind: 'locked', message: err.message });
      else if (err.status === 404) setState({ kind: 'gone' });
      else setState({ kind: 'error', error: err });
    }
  };
  useEffect(() => {
    if (token) void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);
  const [submit, checking] = useSingleFlight(() => load(code));

  return (
    <View className='page reports shared'>
      <StatusView
        loading={state.kind === 'loading'}
        error={state.kind === 'error' ? state.error : undefined}
        onRetry={() => void load(code || undefined)}
      />
      {state.kind === 'code' && (
        <View className='card shared__gate'>
          <Text className='title'>请输入提取码</Text>
          <Text className='muted'>这份报告设置了提取码，请向分享给您的家人索取。</Text>
          <Input
            className='share-sheet__input shared__code'
            type='number'
            maxlength={6}
            value={code}
            placeholder='4-6位数字'
            aria-label='提取码'
            onInput={(e) => setCode(digitsOnly(6)(e.detail.value))}
            onConfirm={() => void submit()}
          />
          <View className='share-sheet__error' role='alert'>
            {state.message ?? ''}
          </View>
          <Button
            type='primary'
            size='large'
            block
            disabled={code.length < 4}
            loading={checking}
            onClick={() => void submit()}
          >
            查看报告
          </Button>
        </View>
      )}
      {state.kind === 'locked' && (
        <View className='card shared__gate' role='alert'>
          <Text className='title'>已暂时锁定</Text>
          <Text className='muted'>{state.message}</Text>
        </View>
      )}
      {state.kind === 'gone' && (
        <View className='card shared__gate' role='alert'>
          <Text className='title'>链接已失效</Text>
          <Text className='muted'>链接可能已过期或已被分享人撤销。如需查看，请让家人重新分享。</Text>
        </View>
      )}
      {state.kind === 'report' && (
        <>
          <Text className='report-notice report-notice--info'>
            {`家人分享给您的报告，有效期至 ${reportTime(state.report.expiresAt)}`}
          </Text>
          <ReportBody
            report={state.report}
            hospitalName={state.report.hospital.name}
            patientName={`${state.report.patient.name}（${state.report.patient.sex === 'male' ? '男' : '女'}，${state.report.patient.age}岁）`}
          />
        </>
      )}
      <View className='actions'>
        <Text className='link-action' onClick={home}>
          打开医联云健康首页
        </Text>
      </View>
    </View>
  );
}
