import { useState, type ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import type { ReportDetail, ReportItem } from '../../api/types';
import { FLAG_LABEL, orderItems, rangeText, reportTime, TYPE_LABEL } from './labels';

type Body = Pick<
  ReportDetail,
  | 'type'
  | 'title'
  | 'amended'
  | 'reportedAt'
  | 'department'
  | 'specimen'
  | 'summary'
  | 'items'
  | 'findings'
  | 'impression'
  | 'advice'
  | 'disclaimer'
>;

interface Props {
  report: Body;
  hospitalName: string;
  patientName: string;
  /** What opens under a tapped item besides its explanation (the owner's trend chart). */
  more?: (item: ReportItem) => ReactNode;
}

export function FlagBadge({ item }: { item: ReportItem }) {
  if (!item.flag || item.flag === 'N') return null;
  const f = FLAG_LABEL[item.flag];
  const tone = item.critical ? 'danger' : f.tone;
  return (
    <Text className={`report-flag report-flag--${tone}`}>
      {item.critical && !f.text.includes('危急') ? `${f.text} 危急` : f.text}
    </Text>
  );
}

function ItemRow({
  item,
  open,
  onToggle,
  more,
}: {
  item: ReportItem;
  open: boolean;
  onToggle: () => void;
  more?: ReactNode;
}) {
  const abnormal = Boolean(item.flag && item.flag !== 'N');
  const range = rangeText(item.referenceRange);
  return (
    <View className={`report-item ${item.critical ? 'is-critical' : abnormal ? 'is-abnormal' : ''}`}>
      <View className='report-item__main' role='button' aria-expanded={open} onClick={onToggle}>
        <View className='report-item__head'>
          <Text className='report-item__name'>{item.name}</Text>
          <View className='report-item__value-box'>
            <Text className='report-item__value'>{item.value}</Text>
            {item.unit && <Text className='report-item__unit'>{item.unit}</Text>}
          </View>
        </View>
        <View className='report-item__meta'>
          <Text className='muted'>{range ? `参考范围 ${range}` : '无参考范围'}</Text>
          <FlagBadge item={item} />
        </View>
      </View>
      {open && (
        <View className='report-item__more'>
          {item.explanation ? (
            <View className='report-explain'>
              <Text className='report-explain__line'>
                <Text className='report-explain__label'>这是什么：</Text>
                {item.explanation.what}
              </Text>
              <Text className='report-explain__line'>
                <Text className='report-explain__label'>常见原因：</Text>
                {item.explanation.reasons}
              </Text>
              <Text className='report-explain__line'>
                <Text className='report-explain__label'>建议：</Text>
                {item.explanation.next}
              </Text>
            </View>
          ) : (
            <Text className='muted'>{abnormal ? '此项暂无通俗解读，请咨询医生。' : '此项结果在参考范围内。'}</Text>
          )}
          {item.referenceRange?.source === 'reference' && (
            <Text className='muted report-item__source'>
              参考范围来自{item.referenceRange.citation ?? '国家标准'}
              {item.referenceRange.population ? `（${item.referenceRange.population}）` : ''}，报告单未给出范围
            </Text>
          )}
          {more}
        </View>
      )}
    </View>
  );
}

/** A report as the owner and a share's viewer both see it: summary first, critical values first. */
export function ReportBody({ report, hospitalName, patientName, more }: Props) {
  const [open, setOpen] = useState<string>();
  const items = orderItems(report.items);
  const s = report.summary;
  return (
    <View className='report-body'>
      <View className='card report-head'>
        <View className='name-row'>
          <Text className='title'>{report.title}</Text>
          <Text className='badge'>{TYPE_LABEL[report.type]}</Text>
          {report.amended && <Text className='badge badge--warning'>已更正</Text>}
        </View>
        <Text className='line muted'>
          {hospitalName} · {report.department}
        </Text>
        <Text className='line muted'>
          {patientName} · 报告时间 {reportTime(report.reportedAt)}
          {report.specimen ? ` · 标本 ${report.specimen}` : ''}
        </Text>
        {report.type === 'lab' && (
          <Text className={`report-summary ${s.critical ? 'is-critical' : s.abnormal ? 'is-abnormal' : ''}`}>
            {s.text}
          </Text>
        )}
        {report.amended && (
          <Text className='report-notice report-notice--warning'>医院已更正此报告，以下为更正后的结果。</Text>
        )}
      </View>
      {s.critical > 0 && (
        <View className='report-notice report-notice--danger' role='alert'>
          <Text className='report-notice__title'>有 {s.critical} 项危急值</Text>
          <Text>{report.advice ?? '请立即联系医院或就近就医。'}</Text>
        </View>
      )}
      {items.length > 0 && (
        <View className='card report-items'>
          <Text className='muted report-items__hint'>点击项目查看通俗解读{more ? '和历次变化' : ''}</Text>
          {items.map((item) => (
            <ItemRow
              key={item.code}
              item={item}
              open={open === item.code}
              onToggle={() => setOpen(open === item.code ? undefined : item.code)}
              more={open === item.code ? more?.(item) : undefined}
            />
          ))}
        </View>
      )}
      {(report.findings || report.impression) && (
        <View className='card report-exam'>
          {report.findings && (
            <>
              <Text className='report-exam__label'>检查所见</Text>
              <Text className='report-exam__text'>{report.findings}</Text>
            </>
          )}
          {report.impression && (
            <>
              <Text className='report-exam__label'>诊断意见</Text>
              <Text className='report-exam__text'>{report.impression}</Text>
            </>
          )}
        </View>
      )}
      <Text className='report-disclaimer'>{report.disclaimer}</Text>
    </View>
  );
}
