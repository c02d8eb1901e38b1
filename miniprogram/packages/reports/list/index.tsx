import { useEffect, useRef, useState } from 'react';
import Taro, { useReachBottom, useRouter } from '@tarojs/taro';
import { View, Text, ScrollView } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api } from '../../../api/client';
import { isSignedIn } from '../../../api/session';
import { useRequest } from '../../../api/use-request';
import type { ReportPage } from '../../../api/types';
import { StatusView } from '../../../components/status-view';
import { reportDate, TYPE_LABEL } from '../labels';
import '../reports.css';

const PAGE_SIZE = 20;
type Summary = ReportPage['items'][number];
const go = (url: string) => void Taro.navigateTo({ url });

function Chip({ active, onClick, children }: { active: boolean; onClick: () => void; children: string }) {
  return (
    <View
      className={`reports__chip ${active ? 'is-active' : ''}`}
      role='button'
      aria-pressed={active}
      onClick={onClick}
    >
      {children}
    </View>
  );
}

/** 报告查询: a patient's reports from every hospital, newest first. */
export default function ReportList() {
  const { params } = useRouter();
  const signedIn = isSignedIn();
  const patients = useRequest(() => (signedIn ? api.patients.list() : Promise.resolve(null)), []);
  const [patientId, setPatientId] = useState<string | undefined>(params.patientId);
  const [hospitalId, setHospitalId] = useState<string>();
  const [type, setType] = useState<'lab' | 'exam'>();
  const [page, setPage] = useState(1);
  const [items, setItems] = useState<Summary[]>([]);
  // Hospitals seen in any answer, so the filter keeps them while one is chosen.
  const [hospitals, setHospitals] = useState<Record<string, string>>({});

  const people = patients.data?.items ?? [];
  useEffect(() => {
    const first = patients.data?.items[0];
    if (!patientId && first) setPatientId(first.id);
  }, [patients.data, patientId]);

  const state = useRequest(
    () =>
      patientId
        ? api.reports.list({ patientId, hospitalId, type, page, pageSize: PAGE_SIZE })
        : Promise.resolve(undefined),
    [patientId, hospitalId, type, page],
  );
  useEffect(() => {
    const d = state.data;
    if (!d) return;
    setItems((prev) => (d.page === 1 ? d.items : [...prev, ...d.items]));
    setHospitals((prev) => ({ ...prev, ...Object.fromEntries(d.items.map((r) => [r.hospitalId, r.hospitalName])) }));
  }, [state.data]);

  // A hospital that could not be reached has no report here to name it: ask our hospital directory, once.
  const asked = useRef(new Set<string>());
  const unknown = (state.data?.unavailableHospitalIds ?? [])
    .filter((h) => !hospitals[h] && !state.data?.items.some((r) => r.hospitalId === h) && !asked.current.has(h))
    .join(',');
  useEffect(() => {
    for (const h of unknown ? unknown.split(',') : []) {
      asked.current.add(h);
      api.hospitals.get(h).then(
        (x) => setHospitals((prev) => ({ ...prev, [x.id]: x.name })),
        () => undefined,
      );
    }
  }, [unknown]);

  const filter = (change: () => void) => {
    change();
    setPage(1);
    setItems([]);
  };
  const total = state.data?.total ?? 0;
  const retry = () => {
    setItems([]);
    if (page === 1) state.reload();
    else setPage(1);
  };
  useReachBottom(() => {
    if (!state.loading && items.length < total) setPage((p) => p + 1);
  });

  if (!signedIn) {
    return (
      <View className='page reports'>
        <View className='card reports__gate'>
          <Text className='title'>登录后查询报告</Text>
          <Text className='muted'>检验、检查报告出来后，可以在这里随时查看。</Text>
          <Button type='primary' size='large' block onClick={() => go('/pages/login/index')}>
            登录 / 注册
          </Button>
        </View>
      </View>
    );
  }
  if (patients.data && people.length === 0) {
    return (
      <View className='page reports'>
        <View className='card reports__gate'>
          <Text className='title'>还没有就诊人</Text>
          <Text className='muted'>添加并实名认证就诊人后，即可查询其在各医院的报告。</Text>
          <Button type='primary' size='large' block onClick={() => go('/pages/patient-edit/index')}>
            添加就诊人
          </Button>
        </View>
      </View>
    );
  }

  const unavailable = (state.data?.unavailableHospitalIds ?? []).map((id) => hospitals[id] ?? '部分医院');
  const consent = state.error?.code === 'CONSENT_REQUIRED';

  return (
    <View className='page reports'>
      <View className='reports__filters'>
        {people.length > 1 && (
          <ScrollView scrollX enableFlex className='reports__row' aria-label='就诊人'>
            {people.map((p) => (
              <Chip key={p.id} active={p.id === patientId} onClick={() => filter(() => setPatientId(p.id))}>
                {p.name}
              </Chip>
            ))}
          </ScrollView>
        )}
        <ScrollView scrollX enableFlex className='reports__row' aria-label='报告类型'>
          <Chip active={!type} onClick={() => filter(() => setType(undefined))}>
            全部类型
          </Chip>
          {(['lab', 'exam'] as const).map((t) => (
            <Chip key={t} active={type === t} onClick={() => filter(() => setType(t))}>
              {`${TYPE_LABEL[t]}报告`}
            </Chip>
          ))}
        </ScrollView>
        {Object.keys(hospitals).length > 0 && (
          <ScrollView scrollX enableFlex className='reports__row' aria-label='医院'>
            <Chip active={!hospitalId} onClick={() => filter(() => setHospitalId(undefined))}>
              全部医院
            </Chip>
            {Object.entries(hospitals).map(([id, name]) => (
              <Chip key={id} active={hospitalId === id} onClick={() => filter(() => setHospitalId(id))}>
                {name}
              </Chip>
            ))}
          </ScrollView>
        )}
      </View>
      {unavailable.length > 0 && (
        <View className='report-notice report-notice--warning reports__unavailable' role='status'>
          <Text>{`${[...new Set(unavailable)].join('、')}暂时无法连接，其报告可能未显示或不是最新。`}</Text>
          <Text className='link-action' onClick={retry}>
            重新查询
          </Text>
        </View>
      )}
      {!state.loading && !state.error && items.length > 0 && <Text className='section-title'>共 {total} 份报告</Text>}
      {items.map((r) => (
        <View
          key={r.id}
          className='card card--tap reports__item'
          role='button'
          onClick={() => go(`/packages/reports/detail/index?id=${r.id}`)}
        >
          <View className='name-row'>
            <Text className='name'>{r.title}</Text>
            <Text className='badge badge--muted'>{TYPE_LABEL[r.type]}</Text>
            {r.amended && <Text className='badge badge--warning'>已更正</Text>}
          </View>
          <Text className='line muted'>{r.hospitalName}</Text>
          <View className='reports__item-foot'>
            <Text className='muted'>{reportDate(r.reportedAt)}</Text>
            <View className='reports__badges'>
              {r.criticalCount > 0 && <Text className='badge badge--danger'>{`危急值 ${r.criticalCount}`}</Text>}
              {r.abnormalCount > 0 && <Text className='badge badge--warning'>{`异常 ${r.abnormalCount}`}</Text>}
              {r.type === 'lab' && r.abnormalCount === 0 && r.criticalCount === 0 && (
                <Text className='badge badge--success'>未见异常</Text>
              )}
            </View>
          </View>
        </View>
      ))}
      {consent ? (
        <View className='card reports__gate'>
          <Text className='title'>需要您的授权</Text>
          <Text className='muted'>{state.error?.message}</Text>
          <Button type='primary' size='large' block onClick={() => go('/pages/privacy/index')}>
            前往隐私与授权
          </Button>
        </View>
      ) : (
        <StatusView
          loading={(patients.loading || state.loading) && page === 1}
          error={patients.error ?? state.error}
          empty={!state.loading && !state.error && items.length === 0 && Boolean(patientId)}
          emptyText={hospitalId || type ? '没有符合条件的报告，换个条件试试' : '暂时没有报告。报告出来后会显示在这里。'}
          onRetry={() => (patients.error ? patients.reload() : state.reload())}
        />
      )}
      {state.loading && page > 1 && <Text className='reports__end muted'>正在加载…</Text>}
      {!state.loading && !state.error && items.length > 0 && items.length < total && (
        <View className='actions'>
          <Button size='large' block onClick={() => setPage((p) => p + 1)}>
            {`加载更多（已显示 ${items.length} / ${total} 份）`}
          </Button>
        </View>
      )}
      {items.length > 0 && items.length >= total && <Text className='reports__end muted'>已显示全部报告</Text>}
      <View className='actions'>
        <Text className='link-action' onClick={() => go('/packages/reports/shares/index')}>
          我的分享
        </Text>
      </View>
    </View>
  );
}
