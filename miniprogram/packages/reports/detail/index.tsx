import { useRef, useState } from 'react';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import type { ShareCreated } from '../../../api/types';
import { StatusView } from '../../../components/status-view';
import { ItemTrend } from '../item-trend';
import { ReportBody } from '../report-body';
import { ShareSheet } from '../share-sheet';
import '../reports.css';

/** 报告详情: summary, critical values first, each item's meaning and trend; share with family. */
export default function ReportDetailPage() {
  const id = useRouter().params.id ?? '';
  const state = useRequest(() => api.reports.get(id), [id]);
  const [sharing, setSharing] = useState(false);
  const lastShare = useRef<ShareCreated>();

  // weapp: the share card carries the link just made (never the patient's name or values).
  useShareAppMessage(() => {
    const s = lastShare.current;
    return s
      ? { title: '家人分享给您一份报告', path: `/packages/reports/shared/index?t=${encodeURIComponent(s.token)}` }
      : { title: '医联云健康', path: '/pages/index/index' };
  });

  const r = state.data;
  return (
    <View className='page reports'>
      <StatusView loading={state.loading} error={state.error} onRetry={state.reload} />
      {r && (
        <>
          <ReportBody
            report={r}
            hospitalName={r.hospital.name}
            patientName={r.patient.name}
            more={(item) => <ItemTrend patientId={r.patient.id} item={item} />}
          />
          <View className='actions'>
            <Button type='primary' size='large' block onClick={() => setSharing(true)}>
              分享给家人
            </Button>
            <Text
              className='link-action'
              onClick={() => void Taro.navigateTo({ url: `/packages/reports/shares/index?reportId=${r.id}` })}
            >
              此报告的分享记录
            </Text>
          </View>
          <ShareSheet
            reportId={r.id}
            visible={sharing}
            onClose={() => setSharing(false)}
            onCreated={(s) => {
              lastShare.current = s;
            }}
          />
        </>
      )}
    </View>
  );
}
