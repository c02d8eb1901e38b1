import { useCallback, useRef, useState } from 'react';

/**
 * Wraps an async action (save, book, cancel) so that a second tap while it
 * runs does nothing: the guard is a ref, set before the first await, so even
 * two taps in the same frame start it once. `busy` drives the button's state.
 */
export function useSingleFlight<A extends unknown[]>(action: (...args: A) => Promise<unknown>) {
  const latest = useRef(action);
  latest.current = action;
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (...args: A) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      await latest.current(...args);
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return [run, busy] as const;
}
