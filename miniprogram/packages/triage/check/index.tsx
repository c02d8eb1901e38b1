import { useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Input, Textarea } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api, ApiError } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import type { TriageAssessment, TriageKnowledge } from '../../../api/types';
import { StatusView } from '../../../components/status-view';
import { digitsOnly } from '../../../lib/input';
import { useSingleFlight } from '../../../lib/use-single-flight';
import '../triage.css';

type Step = 'who' | 'area' | 'symptoms' | 'questions' | 'advice';
type Sex = 'male' | 'female';
type Symptom = TriageKnowledge['symptoms'][number];

const URGENCY: Record<TriageAssessment['urgency'], { title: string; tone: string }> = {
  emergency: { title: '紧急：请立即就医', tone: 'danger' },
  urgent: { title: '建议尽快就医', tone: 'warning' },
  routine: { title: '建议门诊就诊', tone: 'primary' },
};

const fits = (s: Symptom, age: number, sex: Sex) =>
  (!s.sex || s.sex === sex) &&
  (s.minAge === undefined || age >= s.minAge) &&
  (s.maxAge === undefined || age < s.maxAge);

/** 智能分诊: who -> body area -> symptoms -> follow-up questions -> advice, with one tap on to booking. */
export default function TriageCheck() {
  const kb = useRequest(() => api.triage.knowledge(), []);
  const [step, setStep] = useState<Step>('who');
  const [ageText, setAgeText] = useState('');
  const [sex, setSex] = useState<Sex>();
  const [area, setArea] = useState<string>();
  const [picked, setPicked] = useState<string[]>([]);
  const [text, setText] = useState('');
  const [answers, setAnswers] = useState<Record<string, boolean>>({});
  const [result, setResult] = useState<TriageAssessment>();
  const [error, setError] = useState('');
  const age = Number(ageText);
  const whoValid = ageText !== '' && age <= 120 && sex !== undefined;

  const [assess, assessing] = useSingleFlight(async (withAnswers: Record<string, boolean>) => {
    setError('');
    try {
      const r = await api.triage.assess({
        age,
        sex: sex!,
        symptoms: picked,
        answers: withAnswers,
        text: text.trim() || undefined,
      });
      setResult(r);
      // Questions first while there are any and nothing is an emergency; an emergency shows at once.
      setStep(r.urgency !== 'emergency' && r.followUp?.length && step !== 'questions' ? 'questions' : 'advice');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '分诊失败，请稍后重试');
    }
  });

  const toggle = (code: string) => setPicked((p) => (p.includes(code) ? p.filter((c) => c !== code) : [...p, code]));
  const restart = () => {
    setStep('area');
    setArea(undefined);
    setPicked([]);
    setText('');
    setAnswers({});
    setResult(undefined);
  };

  if (!kb.data) {
    return (
      <View className='page triage'>
        <StatusView loading={kb.loading} error={kb.error} onRetry={kb.reload} />
      </View>
    );
  }
  const symptoms = kb.data.symptoms.filter((s) => s.area === area && fits(s, age, sex ?? 'male'));
  const disclaimer = <Text className='triage__disclaimer muted'>{kb.data.disclaimer}</Text>;

  return (
    <View className='page triage'>
      {step === 'who' && (
        <View className='card triage__card'>
          <Text className='title'>为谁咨询？</Text>
          <Text className='triage__label'>年龄（岁）</Text>
          <Input
            className='triage__input'
            type='number'
            value={ageText}
            placeholder='请输入年龄'
            maxlength={3}
            onInput={(e) => setAgeText(digitsOnly(3)(e.detail.value))}
          />
          <Text className='triage__label'>性别</Text>
          <View className='triage__chips'>
            {(['male', 'female'] as const).map((s) => (
              <View
                key={s}
                className={`triage__chip${sex === s ? ' is-active' : ''}`}
                role='radio'
                aria-checked={sex === s}
                onClick={() => setSex(s)}
              >
                <Text>{s === 'male' ? '男' : '女'}</Text>
              </View>
            ))}
          </View>
          {ageText !== '' && age > 120 && <Text className='triage__error'>年龄不能超过120岁</Text>}
          <View className='actions'>
            <Button type='primary' size='large' block disabled={!whoValid} onClick={() => setStep('area')}>
              下一步
            </Button>
          </View>
          {disclaimer}
        </View>
      )}

      {step === 'area' && (
        <>
          <Text className='section-title'>哪里不舒服？</Text>
          <View className='triage__areas'>
            {kb.data.areas.map((a) => (
              <View
                key={a.code}
                className='card card--tap triage__area'
                role='button'
                onClick={() => {
                  setArea(a.code);
                  setStep('symptoms');
                }}
              >
                <Text className='name'>{a.name}</Text>
              </View>
            ))}
          </View>
          <Text className='section-title'>或直接描述您的不适</Text>
          <View className='card triage__card'>
            <Textarea
              className='triage__textarea'
              value={text}
              maxlength={500}
              placeholder='例如：拉肚子两天，不发烧'
              onInput={(e) => setText(e.detail.value)}
            />
            {error && <Text className='triage__error'>{error}</Text>}
            <View className='actions'>
              <Button
                type='primary'
                size='large'
                block
                loading={assessing}
                disabled={!text.trim()}
                onClick={() => void assess({})}
              >
                开始分诊
              </Button>
            </View>
          </View>
          {disclaimer}
        </>
      )}

      {step === 'symptoms' && (
        <View className='card triage__card'>
          <Text className='title'>请选择症状（可多选）</Text>
          <View className='triage__chips'>
            {symptoms.map((s) => (
              <View
                key={s.code}
                className={`triage__chip${picked.includes(s.code) ? ' is-active' : ''}`}
                role='checkbox'
                aria-checked={picked.includes(s.code)}
                onClick={() => toggle(s.code)}
              >
                <Text>{s.name}</Text>
              </View>
            ))}
          </View>
          <Text className='triage__label'>补充描述（可选）</Text>
          <Textarea
            className='triage__textarea'
            value={text}
            maxlength={500}
            placeholder='例如：持续两天，没有发烧'
            onInput={(e) => setText(e.detail.value)}
          />
          {error && <Text className='triage__error'>{error}</Text>}
          <View className='actions'>
            <Button
              type='primary'
              size='large'
              block
              loading={assessing}
              disabled={picked.length === 0 && !text.trim()}
              onClick={() => void assess({})}
            >
              下一步
            </Button>
            <Button size='large' block onClick={() => setStep('area')}>
              换个部位
            </Button>
          </View>
        </View>
      )}

      {step === 'questions' && result?.followUp && (
        <View className='card triage__card'>
          <Text className='title'>再确认几个问题</Text>
          {result.followUp.map((q) => (
            <View key={q.code} className='triage__question'>
              <Text className='triage__question-text'>{q.question}</Text>
              <View className='triage__chips'>
                {[true, false].map((yes) => (
                  <View
                    key={String(yes)}
                    className={`triage__chip${answers[q.code] === yes ? ' is-active' : ''}`}
                    role='radio'
                    aria-checked={answers[q.code] === yes}
                    onClick={() => setAnswers((a) => ({ ...a, [q.code]: yes }))}
                  >
                    <Text>{yes ? '是' : '否'}</Text>
                  </View>
                ))}
              </View>
            </View>
          ))}
          {error && <Text className='triage__error'>{error}</Text>}
          <View className='actions'>
            <Button type='primary' size='large' block loading={assessing} onClick={() => void assess(answers)}>
              查看建议
            </Button>
          </View>
        </View>
      )}

      {step === 'advice' && result && (
        <>
          <View className={`triage__banner is-${URGENCY[result.urgency].tone}`} role='alert'>
            <Text className='triage__banner-title'>{URGENCY[result.urgency].title}</Text>
            <Text className='triage__banner-text'>{result.advice}</Text>
            {result.urgency === 'emergency' && (
              <Button
                type='danger'
                size='large'
                block
                className='triage__call'
                onClick={() => void Taro.makePhoneCall({ phoneNumber: '120' })}
              >
                拨打 120
              </Button>
            )}
          </View>
          {result.recognized.length > 0 && (
            <Text className='triage__understood muted'>
              已识别：{result.recognized.map((s) => s.name).join('、')}
              {result.negated.length > 0 && `；已排除：${result.negated.map((s) => s.name).join('、')}`}
            </Text>
          )}
          <Text className='section-title'>推荐科室</Text>
          {result.departments.map((d, i) => (
            <View key={d.name} className='card triage__department'>
              <View className='name-row'>
                <Text className='name'>{d.name}</Text>
                {i === 0 && <Text className='badge'>首选</Text>}
              </View>
              <Text className='triage__reason muted'>{d.reason}</Text>
              {d.name === '急诊科' ? (
                <Text className='triage__reason'>急诊无需预约，请直接前往就近医院急诊科，或拨打120。</Text>
              ) : (
                <Button
                  type={i === 0 ? 'primary' : 'default'}
                  size='large'
                  block
                  onClick={() =>
                    void Taro.navigateTo({
                      url: `/packages/triage/book/index?department=${encodeURIComponent(d.name)}`,
                    })
                  }
                >
                  预约{d.name}
                </Button>
              )}
            </View>
          ))}
          {disclaimer}
          <View className='actions'>
            <Button size='large' block onClick={() => void Taro.navigateTo({ url: '/packages/triage/tickets/index' })}>
              仍不确定？咨询分诊护士
            </Button>
            <Button size='large' block onClick={restart}>
              重新分诊
            </Button>
          </View>
        </>
      )}
    </View>
  );
}
