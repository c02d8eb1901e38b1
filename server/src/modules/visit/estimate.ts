/**
 * Waiting-time estimate from a room's recent consultations: the trimmed mean
 * of the last `samples` durations (the shortest and longest 10% dropped, so
 * one unusually long or short visit does not swing it), times the patients
 * ahead. No durations, no estimate: never a made-up constant.
 */
export function trimmedMean(values: number[], samples: number): number | null {
  const last = values.slice(-samples);
  if (!last.length) return null;
  const sorted = [...last].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * 0.1);
  const kept = sorted.slice(cut, sorted.length - cut);
  return kept.reduce((n, v) => n + v, 0) / kept.length;
}

/** Minutes until the patient's turn, rounded up; 0 when nobody is ahead. */
export function estimateWaitMinutes(ahead: number, durationsSec: number[], samples: number): number | null {
  if (ahead <= 0) return 0;
  const mean = trimmedMean(durationsSec, samples);
  return mean === null ? null : Math.ceil((ahead * mean) / 60);
}

export type QueueState = 'waiting' | 'called' | 'passed';

/** Where a number stands in a room's queue: how many are ahead and whether it is being called or was passed. */
export function placeInQueue(q: { calling: number | null; waiting: number[] }, myNumber: number) {
  if (q.calling === myNumber) return { state: 'called' as QueueState, ahead: 0 };
  const at = q.waiting.indexOf(myNumber);
  // Ahead: those still waiting before this number, in calling order (not the one in the room now).
  if (at >= 0) return { state: 'waiting' as QueueState, ahead: at };
  // Passed only when the room has called beyond it. A higher number the list does not hold yet (checked in after
  // the hospital's answer was read) waits behind every lower number still waiting.
  if (q.calling !== null && myNumber < q.calling) return { state: 'passed' as QueueState, ahead: 0 };
  return { state: 'waiting' as QueueState, ahead: q.waiting.filter((n) => n < myNumber).length };
}
