import { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import type { Share } from '../../../api/types';
import { useDialog } from '../../../components/dialog';
import { StatusView } from '../../../components/status-view';
import { reportTime, SHARE_STATUS_LABEL } from '../labels';
import '../reports.css';

const BROWSER = {
  wechat: '微信',
  chrome: 'Chrome',
  safari: 'Safari',
  firefox: 'Firefox',
  edge: 'Edge',
  qq: 'QQ浏览器',
  uc: 'UC浏览器',
  opera: 'Opera',
  other: '其他浏览器',
} as const;

/** 我的分享: who opened which link how often; revoke at once. For one report (`?reportId=`) or all. */
export default function SharesPage() {
  const reportId = useRouter().params.reportId;
  const state = useRequest(() => (reportId ? api.reports.shares(reportId) : api.shares.list()), [reportId]);
  const { dialog, confirm } = useDialog();

  const revoke = async (s: Share) => {
    const sure = await confirm({
      title: '确认撤销分享？',
      content: '撤销后，收到链接的人将立即无法查看这份报告。',
      confirmText: '确认撤销',
      cancelText: '再想想',
      destructive: true,
    });
    if (!sure) return;
    await api.shares.revoke(s.id).catch(() => undefined);
    state.reload();
  };

  const items = state.data?.items;
  return (
    <View className='page reports'>
      <StatusView
        loading={state.loading && !items}
        error={state.error}
        empty={items?.length === 0}
        emptyText='还没有分享记录。在报告详情页点「分享给家人」即可生成链接。'
        onRetry={state.reload}
      />
      {items?.map((s) => {
        const status = SHARE_STATUS_LABEL[s.status];
        const live = s.status === 'active' || s.status === 'locked';
        return (
          <View key={s.id} className='card share-card'>
            <View className='name-row'>
              <Text className='name'>{s.reportTitle}</Text>
              <Text className={`badge ${status.badge}`}>{status.text}</Text>
            </View>
            <Text className='line muted'>
              {s.patientName} · {s.hospitalName}
            </Text>
            <View className='share-card__facts'>
              <Text className='share-card__fact'>{`查看 ${s.viewCount} 次`}</Text>
              <Text className='share-card__fact'>
                {s.lastViewedAt ? `最近查看 ${reportTime(s.lastViewedAt)}` : '尚未被查看'}
              </Text>
              <Text className='share-card__fact'>
                {s.status === 'revoked' && s.revokedAt
                  ? `已于 ${reportTime(s.revokedAt)} 撤销`
                  : `${s.status === 'expired' ? '已于' : '有效期至'} ${reportTime(s.expiresAt)}${s.status === 'expired' ? ' 过期' : ''}`}
              </Text>
              <Text className='share-card__fact'>{s.hasAccessCode ? '需提取码' : '无提取码'}</Text>
            </View>
            {s.recentViews.length > 0 && (
              <View className='share-card__views'>
                {s.recentViews.slice(0, 5).map((v) => (
                  <Text key={v.viewedAt} className='muted share-card__view'>
                    {`${reportTime(v.viewedAt)} · ${BROWSER[v.browser]} · ${v.ip}`}
                  </Text>
                ))}
              </View>
            )}
            {live && (
              <Button type='danger' fill='outline' size='large' block onClick={() => void revoke(s)}>
                撤销分享
              </Button>
            )}
          </View>
        );
      })}
      {dialog}
    </View>
  );
}
