import { useCallback, useEffect, useState } from 'react';
import { Select } from 'antd';
import { get } from './api';
import type { Hospital } from './types';

/** Loads data for a page and reloads it on demand; `deps` change reloads too. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error & { status?: number }>();
  const [loading, setLoading] = useState(true);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    setLoading(true);
    return run()
      .then(
        (d) => {
          setData(d);
          setError(undefined);
        },
        (e: Error) => setError(e),
      )
      .finally(() => setLoading(false));
  }, [run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}

/** The caller's hospitals (one for most hospital admins). */
export function useHospitals() {
  return useLoad(() => get<{ items: Hospital[] }>('/hospitals').then((r) => r.items), []);
}

export function HospitalSelect(props: {
  hospitals: Hospital[] | undefined;
  value?: string;
  onChange?: (id: string) => void;
  allowClear?: boolean;
  style?: React.CSSProperties;
}) {
  return (
    <Select
      showSearch
      allowClear={props.allowClear}
      placeholder='选择医院'
      optionFilterProp='label'
      style={{ width: 260, ...props.style }}
      value={props.value}
      onChange={props.onChange}
      options={(props.hospitals ?? []).map((h) => ({ value: h.id, label: h.name }))}
      data-testid='hospital-select'
    />
  );
}
