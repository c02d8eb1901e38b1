import { ageOn, checkIdNumber, withCheckChar } from '../../common/id-card';
import { maskIdNumber, maskName, maskPhone } from '../../common/mask';

describe('resident ID numbers (GB 11643)', () => {
  const today = '2026-11-26';

  it('accepts a valid number and derives birth date and sex', () => {
    expect(checkIdNumber('11010519491231002X', today)).toEqual({
      ok: true,
      info: { birthDate: '1949-12-31', sex: 'female' },
    });
    expect(checkIdNumber(withCheckChar('31010419900307001'), today)).toMatchObject({ info: { sex: 'male' } });
    expect(checkIdNumber('11010519491231002x', today).ok).toBe(true);
  });

  it.each([
    ['11010519491231002', 'format'],
    ['A1010519491231002X', 'format'],
    ['110105194912310021', 'checksum'],
    [withCheckChar('31010419900230001'), 'birth_date'],
    [withCheckChar('31010418800101001'), 'birth_date'],
    [withCheckChar('31010420270101001'), 'future_birth_date'],
  ])('rejects %s (%s)', (id, problem) => {
    expect(checkIdNumber(id, today)).toEqual({ ok: false, problem });
  });

  it('counts whole years of age', () => {
    expect(ageOn('2012-11-27', today)).toBe(13);
    expect(ageOn('2012-11-26', today)).toBe(14);
  });
});

describe('masking', () => {
  it('shows enough to recognise and no more', () => {
    expect(maskIdNumber('110105194912310021')).toBe('110***********0021');
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('王建国')).toBe('王*国');
    expect(maskName('欧阳娜娜')).toBe('欧***');
  });
});
