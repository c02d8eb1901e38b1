import { ID_CARD_MESSAGES, checkIdNumber } from '../../../common/id-card';
import { PHONE_PATTERN } from '../../../common/mask';

export interface PatientForm {
  name: string;
  idNumber: string;
  phone: string;
}

export type FormErrors = Partial<Record<keyof PatientForm | 'consent', string>>;

const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** The same rules as the server, so most mistakes are shown before anything is sent. */
export function validatePatient(form: PatientForm, editing: boolean): FormErrors {
  const errors: FormErrors = {};
  if (!/^[\u4e00-\u9fa5A-Za-z·• ]{2,30}$/.test(form.name.trim())) errors.name = '姓名应为2-30个汉字或字母';
  if (form.idNumber || !editing) {
    const check = checkIdNumber(form.idNumber, shanghaiToday());
    if (!check.ok) errors.idNumber = ID_CARD_MESSAGES[check.problem];
  }
  if ((form.phone || !editing) && !PHONE_PATTERN.test(form.phone.trim())) errors.phone = '请输入正确的11位手机号';
  return errors;
}
