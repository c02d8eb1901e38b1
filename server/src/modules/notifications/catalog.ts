import type { SmsTemplate } from '../../integrations/sms';
import type { TemplateData } from '../../integrations/wechat';

/**
 * What the platform tells patients, and how, in one place. A topic is what a
 * patient switches on or off per channel; a kind is one notice with its
 * texts: inbox title and body, WeChat subscribe-message data, SMS template
 * variables, voice text. Texts carry no personal data beyond a masked name.
 */
export const CHANNELS = ['wechat', 'sms', 'voice'] as const;
export type Channel = (typeof CHANNELS)[number];

export const TOPICS = {
  booking: { label: '预约与候补', urgent: false, defaults: { wechat: true, sms: true, voice: false } },
  schedule_change: { label: '停诊与医院取消', urgent: true, defaults: { wechat: true, sms: true, voice: false } },
  visit_reminder: { label: '就诊提醒', urgent: false, defaults: { wechat: true, sms: true, voice: false } },
  report: { label: '报告与危急值', urgent: true, defaults: { wechat: true, sms: true, voice: false } },
  queue: { label: '排队叫号', urgent: false, defaults: { wechat: true, sms: false, voice: false } },
  triage: { label: '人工分诊回复', urgent: false, defaults: { wechat: true, sms: true, voice: false } },
  measure_reminder: { label: '测量提醒', urgent: false, defaults: { wechat: true, sms: true, voice: false } },
} as const;
export type Topic = keyof typeof TOPICS;

/** One notice; each has an SMS template and a WeChat template of the same name. */
export type Kind = Exclude<SmsTemplate, 'login_code'>;

/** The facts a notice is written from (an appointment's, a report's). */
export interface NoticeFacts {
  patientName: string; // masked
  hospital?: string;
  department?: string;
  location?: string;
  doctor?: string;
  when?: string; // e.g. 11月30日 上午 09:00
  reason?: string;
  title?: string; // a report's title
  bookingCode?: string;
  measurement?: string; // what to measure, e.g. 血压; never a value
}

export interface Notice {
  kind: Kind;
  topic: Topic;
  urgent: boolean;
  title: string;
  body: string;
  page: string | null;
  wechat: TemplateData;
  sms: Record<string, string>;
  voice: string;
}

/** WeChat's `thing` fields take at most 20 characters. */
const thing = (s: string | undefined) => ({ value: [...(s || '—')].slice(0, 20).join('') });
const plain = (s: string | undefined) => ({ value: s || '—' });

export function notice(kind: Kind, topic: Topic, urgent: boolean, f: NoticeFacts, page: string | null): Notice {
  const place = [f.hospital, f.department].filter(Boolean).join(' ');
  const texts: Record<Kind, { title: string; body: string; voice: string }> = {
    booking_confirmed: {
      title: '预约成功',
      body: `${f.patientName}已预约${f.when} ${place}${f.doctor ? `（${f.doctor}）` : ''}，就诊地点：${f.location}。预约码 ${f.bookingCode}，请携带身份证和医保卡提前30分钟到达。`,
      voice: `您好，${f.patientName}已成功预约${f.when}${place}，请按时就诊。`,
    },
    booking_cancelled: {
      title: '预约已取消',
      body: `${f.patientName}${f.when} ${place}的预约已取消。${f.reason ? `原因：${f.reason}。` : ''}`,
      voice: `您好，${f.patientName}${f.when}${place}的预约已取消。`,
    },
    schedule_changed: {
      title: urgent ? '今日停诊通知' : '停诊通知',
      body: `${f.patientName}${f.when} ${place}的预约因${f.reason ?? '医院原因'}已取消，号源费用将按原路退回，可改约其他医生。`,
      voice: `您好，${f.patientName}${f.when}${place}的预约因医院原因已取消，请不要前往医院，可改约其他医生。`,
    },
    waitlist_granted: {
      title: '候补成功',
      body: `${f.patientName}的候补已成功，预约${f.when} ${place}，就诊地点：${f.location}。预约码 ${f.bookingCode}。`,
      voice: `您好，${f.patientName}的候补已成功，已为您预约${f.when}${place}。`,
    },
    visit_reminder: {
      title: '明日就诊提醒',
      body: `${f.patientName}明天${f.when} 在${place}就诊，地点：${f.location}。请携带身份证和医保卡，提前30分钟到达签到。`,
      voice: `您好，提醒您，${f.patientName}明天${f.when}在${place}就诊，请携带身份证和医保卡，提前到达。`,
    },
    report_ready: {
      title: '报告已出',
      body: `${f.patientName}在${f.hospital}的${f.title}已出报告，可在“报告查询”中查看。`,
      voice: `您好，${f.patientName}在${f.hospital}的检查报告已出，请在医联云健康中查看。`,
    },
    critical_value: {
      title: '危急值提醒',
      body: `${f.patientName}在${f.hospital}的${f.title}有危急值结果，请立即联系医院或尽快就医。`,
      voice: `您好，${f.patientName}在${f.hospital}的检查结果有危急值，请立即联系医院或尽快就医。`,
    },
    triage_reply: {
      title: '分诊护士回复',
      body: `${f.patientName}的人工分诊有新回复，请在“人工分诊”中查看。`,
      voice: `您好，${f.patientName}的人工分诊有新回复，请在医联云健康中查看。`,
    },
    measure_reminder: {
      title: `该测量${f.measurement}了`,
      body: `${f.patientName}，该测量${f.measurement}了。测量后可在“健康”中记录结果。`,
      voice: `您好，提醒${f.patientName}测量${f.measurement}。`,
    },
    queue_near: {
      title: '即将叫号',
      body: `${f.patientName}在${place}前面还有不多于3人，请到诊室门口候诊。`,
      voice: `您好，${f.patientName}即将被叫号，请到诊室门口候诊。`,
    },
  };
  const t = texts[kind];
  return {
    kind,
    topic,
    urgent,
    title: t.title,
    body: t.body,
    page,
    wechat: {
      thing1: thing(t.title),
      name2: plain(f.patientName),
      time3: plain(f.when),
      thing4: thing(f.hospital),
      thing5: thing(f.reason ?? f.department ?? f.title ?? f.measurement),
    },
    sms: {
      name: f.patientName,
      time: f.when ?? '',
      hospital: f.hospital ?? '',
      department: f.department ?? '',
      reason: f.reason ?? '',
      code: f.bookingCode ?? '',
      ...(f.measurement ? { measurement: f.measurement } : {}),
    },
    voice: t.voice,
  };
}
