import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Input, Checkbox } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api, ApiError } from '../../api/client';
import type { Me, Patient, Relation } from '../../api/types';
import { RELATION_LABEL } from '../../constants/labels';
import { FormField } from '../../components/form-field';
import { validatePatient, type FormErrors, type PatientForm } from './validate';
import './index.css';

const RELATIONS = Object.keys(RELATION_LABEL) as Relation[];

/** Add a patient, or edit one (ID number and phone are shown masked; leave blank to keep). */
export default function PatientEdit() {
  const patientId = useRouter().params.id;
  const [existing, setExisting] = useState<Patient>();
  const [me, setMe] = useState<Me>();
  const [form, setForm] = useState<PatientForm>({ name: '', idNumber: '', phone: '' });
  const [relation, setRelation] = useState<Relation>('self');
  const [hasSelf, setHasSelf] = useState(false);
  const [consent, setConsent] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.me.get().then(setMe, () => undefined);
    if (patientId) {
      api.patients.get(patientId).then((p) => {
        setExisting(p);
        setForm({ name: p.name, idNumber: '', phone: '' });
        setRelation(p.relation);
      });
    } else {
      api.patients.list().then((page) => {
        const self = page.items.some((p) => p.relation === 'self');
        setHasSelf(self);
        setRelation(self ? 'child' : 'self');
      });
    }
  }, [patientId]);

  const set = (key: keyof PatientForm) => (e: { detail: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.detail.value }));
  const needsConsent = me !== undefined && !me.healthDataConsent;

  const save = async () => {
    const found = validatePatient(form, Boolean(existing));
    if (needsConsent && !consent) found.consent = '请先阅读并同意个人信息保护政策';
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      if (needsConsent) await api.me.grantConsent(me!.policyVersion);
      const body = {
        name: form.name.trim(),
        relation,
        ...(form.idNumber ? { idNumber: form.idNumber.trim() } : {}),
        ...(form.phone ? { phone: form.phone.trim() } : {}),
      };
      const saved = existing
        ? await api.patients.update(existing.id, body)
        : await api.patients.create(body as Required<typeof body>);
      void Taro.showToast({
        title: saved.verification.status === 'verified' ? '已保存，实名认证通过' : '已保存',
        icon: 'none',
      });
      void Taro.navigateBack();
    } catch (err) {
      if (err instanceof ApiError) {
        const fields = (err.details?.fields ?? []) as Array<{ path: string; message: string }>;
        const inline: FormErrors = {};
        for (const f of fields) inline[f.path.replace(/^body\./, '') as keyof FormErrors] = f.message;
        setErrors(Object.keys(inline).length ? inline : {});
        if (!Object.keys(inline).length) void Taro.showToast({ title: err.message, icon: 'none', duration: 3000 });
      }
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    const { confirm } = await Taro.showModal({
      title: '删除就诊人',
      content: '删除后将清除其身份证号和手机号，确定删除吗？',
    });
    if (!confirm || !existing) return;
    await api.patients.remove(existing.id);
    void Taro.navigateBack();
  };

  const selectable = RELATIONS.filter((r) =>
    existing ? (existing.relation === 'self' ? r === 'self' : r !== 'self') : hasSelf ? r !== 'self' : r === 'self',
  );

  return (
    <View className='page patient-edit'>
      {!existing && !hasSelf && <Text className='section-title'>请先添加本人信息</Text>}
      <FormField label='姓名' error={errors.name}>
        <Input placeholder='与身份证一致' value={form.name} maxlength={30} onInput={set('name')} />
      </FormField>
      <FormField label='身份证号' error={errors.idNumber}>
        <Input
          type='idcard'
          maxlength={18}
          placeholder={existing ? `${existing.idNumber}（不修改请留空）` : '18位居民身份证号'}
          value={form.idNumber}
          onInput={set('idNumber')}
        />
      </FormField>
      <FormField label='手机号' error={errors.phone}>
        <Input
          type='number'
          maxlength={11}
          placeholder={existing ? `${existing.phone}（不修改请留空）` : '用于接收就诊通知'}
          value={form.phone}
          onInput={set('phone')}
        />
      </FormField>
      <FormField label='与账号本人关系'>
        <View className='patient-edit__relations'>
          {selectable.map((r) => (
            <Text
              key={r}
              className={`patient-edit__relation ${r === relation ? 'is-active' : ''}`}
              onClick={() => setRelation(r)}
            >
              {RELATION_LABEL[r]}
            </Text>
          ))}
        </View>
      </FormField>
      {existing && (
        <Text className='muted patient-edit__hint'>
          当前：{existing.idNumber} · {existing.phone}
          {existing.isMinor ? ' · 未满14周岁，由本人监护' : ''}
        </Text>
      )}
      {needsConsent && (
        <View className={`patient-edit__consent ${errors.consent ? 'has-error' : ''}`}>
          <Checkbox value='agree' checked={consent} onClick={() => setConsent((c) => !c)} />
          <Text onClick={() => setConsent((c) => !c)}>
            我已阅读并同意
            <Text className='patient-edit__link' onClick={() => void Taro.navigateTo({ url: '/pages/privacy/index' })}>
              《个人信息保护政策》
            </Text>
            ，单独同意处理就诊人的身份证号与健康信息
          </Text>
          {errors.consent && <Text className='form-field__error'>{errors.consent}</Text>}
        </View>
      )}
      <View className='patient-edit__actions'>
        <Button type='primary' size='large' block loading={busy} onClick={save}>
          保存
        </Button>
        {existing && (
          <Text className='patient-edit__delete' onClick={remove}>
            删除就诊人
          </Text>
        )}
      </View>
    </View>
  );
}
