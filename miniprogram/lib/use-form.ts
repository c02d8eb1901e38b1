import { useCallback, useMemo, useState } from 'react';

type Errors<F> = Partial<Record<keyof F, string>>;

/**
 * Form state with the error rules patients expect: a field's error appears
 * when they leave it (having typed something) or press submit, and disappears
 * the moment the value becomes valid, because it is computed from the value,
 * not stored. Errors from the server stay until that field is edited.
 *
 * `validate` checks the whole form at once (the same rules as the server).
 */
export function useForm<F extends object>(initial: F, validate: (values: F) => Errors<F>) {
  const [values, setValues] = useState(initial);
  const [visible, setVisible] = useState<Partial<Record<keyof F, boolean>>>({});
  const [server, setServer] = useState<Errors<F>>({});

  const problems = useMemo(() => validate(values), [validate, values]);
  const errors = useMemo(() => {
    const shown: Errors<F> = { ...server };
    for (const key of Object.keys(problems) as Array<keyof F>) if (visible[key]) shown[key] = problems[key];
    return shown;
  }, [problems, visible, server]);

  /** Sets a field; `clean` filters what was typed (a rejected character is removed from the box too). */
  const set = useCallback(<K extends keyof F>(key: K, raw: F[K], clean?: (v: F[K]) => F[K]) => {
    setServer((s) => (s[key] ? { ...s, [key]: undefined } : s));
    const value = clean ? clean(raw) : raw;
    setValues((v) => ({ ...v, [key]: raw }));
    // Rendering the raw value first, then the clean one, makes the input box drop the rejected character
    // even when the clean value equals the previous one (a controlled input would not re-render otherwise).
    if (value !== raw) setTimeout(() => setValues((v) => ({ ...v, [key]: value })), 0);
  }, []);

  /** On blur: show this field's error if something was typed. */
  const touch = useCallback(
    (key: keyof F) => setVisible((s) => (s[key] || values[key] === '' ? s : { ...s, [key]: true })),
    [values],
  );

  /** On submit: show every error; true when the form is valid. */
  const check = useCallback(
    (...keys: Array<keyof F>) => {
      const names = keys.length ? keys : (Object.keys(values) as Array<keyof F>);
      setVisible((s) => ({ ...s, ...Object.fromEntries(names.map((k) => [k, true])) }));
      return names.every((k) => !problems[k] && !server[k]);
    },
    [values, problems, server],
  );

  return { values, errors, set, touch, check, setServerErrors: setServer, setValues };
}
