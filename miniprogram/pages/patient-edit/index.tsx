import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Input } from '@tarojs/components';
import { Button, Checkbox } from '@nutui/nutui-react-taro';
import { api, ApiError } from '../../api/client';
import type { Me, Patient, Relation } from '../../api/types';
import { RELATION_LABEL } from '../../constants/labels';
import { useDialog } from '../../components/dialog';
import { FormField } from '../../components/form-field';
import { digitsOnly, idNumberChars, inputProps } from '../../lib/input';
import { useForm } from '../../lib/use-form';
import { useSingleFlight } from '../../lib/use-single-flight';
import { validatePatient, type FormErrors, type PatientForm } from './validate';
import './index.css';

const RELATIONS = Object.keys(RELATION_LABEL) as Relation[];
const CONSENT_NEEDED = '请先阅读并同意个人信息保护政策';
const phoneDigits = digitsOnly(11);

type Values = PatientForm & { consent: boolean };

/** Add a patient, or edit one (ID number and phone are shown masked; leave blank to keep). */
export default function PatientEdit() {
  const patientId = useRouter().params.id;
  const [existing, setExisting] = useState<Patient>();
  const [me, setMe] = useState<Me>();
  const [relation, setRelation] = useState<Relation>('self');
  const [hasSelf, setHasSelf] = useState(false);
  const { dialog, confirm } = useDialog();
  const editing = Boolean(existing);
  const needsConsent = me !== undefined && !me.healthDataConsent;

  const validate = useCallback(
    (v: Values): FormErrors => ({
      ...validatePatient(v, editing),
      ...(needsConsent && !v.consent ? { consent: CONSENT_NEEDED } : {}),
    }),
    [editing, needsConsent],
  );
  const form = useForm<Values>({ name: '', idNumber: '', phone: '', consent: false }, validate);
  const { values, errors } = form;

  useEffect(() => {
    api.me.get().then(setMe, () => undefined);
    if (patientId) {
      api.patients.get(patientId).then((p) => {
        setExisting(p);
        form.setValues((v) => ({ ...v, name: p.name }));
        setRelation(p.relation);
      });
    } else {
      api.patients.list().then((page) => {
        const self = page.items.some((p) => p.relation === 'self');
        setHasSelf(self);
        setRelation(self ? 'child' : 'self');
      });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [patientId]);

  const [save, saving] = useSingleFlight(async () => {
    if (!form.check()) return;
    try {
      if (needsConsent) await api.me.grantConsent(me!.policyVersion);
      const body = {
        name: values.name.trim(),
        relation,
        ...(values.idNumber ? { idNumber: values.idNumber.trim() } : {}),
        ...(values.phone ? { phone: values.phone.trim() } : {}),
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
      if (!(err instanceof ApiError)) return;
      const fields = (err.details?.fields ?? []) as Array<{ path: string; message: string }>;
      const inline: FormErrors = {};
      for (const f of fields) inline[f.path.replace(/^body\./, '') as keyof FormErrors] = f.message;
      form.setServerErrors(inline);
      if (!fields.length) void Taro.showToast({ title: err.message, icon: 'none', duration: 3000 });
    }
  });

  const [removeNow, removing] = useSingleFlight(async () => {
    if (!existing) return;
    await api.patients.remove(existing.id).catch(() => undefined);
    void Taro.navigateBack();
  });
  const remove = async () => {
    const sure = await confirm({
      title: '确认删除就诊人？',
      content: '删除后将清除其身份证号和手机号，且不能恢复。',
      confirmText: '确认删除',
      cancelText: '再想想',
      destructive: true,
    });
    if (sure) await removeNow();
  };

  const selectable = RELATIONS.filter((r) =>
    existing ? (existing.relation === 'self' ? r === 'self' : r !== 'self') : hasSelf ? r !== 'self' : r === 'self',
  );

  return (
    <View className='page patient-edit'>
      {!existing && !hasSelf && <Text className='section-title'>请先添加本人信息</Text>}
      <View className='patient-edit__form'>
        <FormField label='姓名' error={errors.name}>
          <Input
            placeholder='与身份证一致'
            value={values.name}
            maxlength={30}
            onInput={(e) => form.set('name', e.detail.value)}
            onBlur={() => form.touch('name')}
          />
        </FormField>
        <FormField label='身份证号' error={errors.idNumber}>
          <Input
            {...inputProps('idNumber')}
            maxlength={18}
            placeholder={existing ? `${existing.idNumber}（不修改请留空）` : '18位居民身份证号'}
            value={values.idNumber}
            onInput={(e) => form.set('idNumber', e.detail.value, idNumberChars)}
            onBlur={() => form.touch('idNumber')}
          />
        </FormField>
        <FormField label='手机号' error={errors.phone}>
          <Input
            {...inputProps('phone')}
            maxlength={11}
            placeholder={existing ? `${existing.phone}（不修改请留空）` : '用于接收就诊通知'}
            value={values.phone}
            onInput={(e) => form.set('phone', e.detail.value, phoneDigits)}
            onBlur={() => form.touch('phone')}
          />
        </FormField>
        <View className='patient-edit__relation-field'>
          <Text className='form-field__label'>与账号本人关系</Text>
          <View className='patient-edit__relations' role='radiogroup'>
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
        </View>
      </View>
      {existing && (
        <Text className='muted patient-edit__hint'>
          当前：{existing.idNumber} · {existing.phone}
          {existing.isMinor ? ' · 未满14周岁，由本人监护' : ''}
        </Text>
      )}
      {needsConsent && (
        <View className={`patient-edit__consent ${errors.consent ? 'has-error' : ''}`}>
          <View className='patient-edit__consent-row'>
            <Checkbox
              className='patient-edit__checkbox'
              checked={values.consent}
              onChange={(checked: boolean) => form.set('consent', checked)}
            />
            <Text className='patient-edit__consent-text' onClick={() => form.set('consent', !values.consent)}>
              我已阅读并同意
              <Text
                className='patient-edit__link'
                onClick={(e) => {
                  e.stopPropagation();
                  void Taro.navigateTo({ url: '/pages/privacy/index' });
                }}
              >
                《个人信息保护政策》
              </Text>
              ，单独同意处理就诊人的身份证号与健康信息
            </Text>
          </View>
          <Text className='form-field__error'>{errors.consent ?? ''}</Text>
        </View>
      )}
      <View className='actions'>
        <Button type='primary' size='large' block loading={saving} onClick={() => void save()}>
          保存
        </Button>
        {existing && (
          <Text className='link-action link-action--danger' onClick={() => void (removing ? undefined : remove())}>
            删除就诊人
          </Text>
        )}
      </View>
      {dialog}
    </View>
  );
}
