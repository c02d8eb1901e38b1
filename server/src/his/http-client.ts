import axios, { AxiosError, type AxiosInstance } from 'axios';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import type { Logger } from '../logger';
import {
  HisRejectedError,
  HisUnavailableError,
  type HisClient,
  type HisDepartment,
  type HisDoctor,
  type HisBookingRequest,
  type HisHospitalProfile,
  type HisSession,
  type HisStatus,
  type HisTarget,
} from './types';

export interface HisClientOptions {
  timeoutMs: number;
  readRetries: number;
  breakerFailures: number;
  breakerCooldownMs: number;
}

/** Network failures, timeouts and 5xx answers count against a hospital; its 4xx answers do not. */
function isTransient(err: Error): boolean {
  if (err instanceof TaskCancelledError) return true;
  if (err instanceof AxiosError) return !err.response || err.response.status >= 500;
  return false;
}

interface HospitalPolicies {
  breaker: CircuitBreakerPolicy;
  read: IPolicy;
  write: IPolicy;
}

/**
 * HIS client over HTTP. Each hospital has its own circuit breaker, so one
 * hospital being down never slows the others. Reads are retried with backoff;
 * writes are not (the outbox that sends them retries with its own idempotency key).
 */
export class HttpHisClient implements HisClient {
  private readonly http: AxiosInstance;
  private readonly policies = new Map<string, HospitalPolicies>();

  constructor(
    private readonly options: HisClientOptions,
    private readonly log?: Logger,
  ) {
    this.http = axios.create({ headers: { Accept: 'application/json' }, maxRedirects: 0 });
  }

  getProfile(target: HisTarget) {
    return this.read<HisHospitalProfile>(target, '/profile');
  }

  async listDepartments(target: HisTarget) {
    return (await this.read<{ items: HisDepartment[] }>(target, '/departments')).items;
  }

  async listDoctors(target: HisTarget) {
    return (await this.read<{ items: HisDoctor[] }>(target, '/doctors')).items;
  }

  async listSessions(target: HisTarget, from: string, to: string) {
    const q = `?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    return (await this.read<{ items: HisSession[] }>(target, `/schedules${q}`)).items;
  }

  confirmBooking(target: HisTarget, booking: HisBookingRequest) {
    return this.call<{ hisBookingId: string }>(target, 'write', (signal) =>
      this.http.post(`${target.baseUrl}/bookings`, booking, { signal }),
    );
  }

  async cancelBooking(target: HisTarget, hisBookingId: string, idempotencyKey: string) {
    await this.call(target, 'write', (signal) =>
      this.http.post(
        `${target.baseUrl}/bookings/${encodeURIComponent(hisBookingId)}/cancel`,
        { idempotencyKey },
        { signal },
      ),
    );
  }

  status(hospitalCode: string): HisStatus {
    const state = this.policies.get(hospitalCode)?.breaker.state;
    return state === CircuitState.Open || state === CircuitState.Isolated ? 'unavailable' : 'online';
  }

  private policiesFor(code: string): HospitalPolicies {
    let p = this.policies.get(code);
    if (!p) {
      const transient = handleWhen(isTransient);
      const breaker = circuitBreaker(transient, {
        halfOpenAfter: this.options.breakerCooldownMs,
        breaker: new ConsecutiveBreaker(this.options.breakerFailures),
      });
      breaker.onBreak(() => this.log?.warn({ hospital: code }, 'HIS circuit opened'));
      breaker.onReset(() => this.log?.info({ hospital: code }, 'HIS circuit closed'));
      const perTry = timeout(this.options.timeoutMs, TimeoutStrategy.Aggressive);
      const retries = retry(transient, {
        maxAttempts: this.options.readRetries,
        backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1000 }),
      });
      p = { breaker, read: wrap(retries, breaker, perTry), write: wrap(breaker, perTry) };
      this.policies.set(code, p);
    }
    return p;
  }

  private async read<T>(target: HisTarget, path: string): Promise<T> {
    return this.call<T>(target, 'read', (signal) => this.http.get<T>(target.baseUrl + path, { signal }));
  }

  private async call<T>(
    target: HisTarget,
    kind: 'read' | 'write',
    send: (signal: AbortSignal) => Promise<{ data: T }>,
  ): Promise<T> {
    const policy = this.policiesFor(target.code)[kind];
    try {
      // A fresh parent signal per call: cockatiel's shared default collects listeners.
      const res = await policy.execute(({ signal }) => send(signal), new AbortController().signal);
      return res.data;
    } catch (err) {
      throw this.translate(target.code, err as Error);
    }
  }

  private translate(code: string, err: Error): Error {
    if (err instanceof BrokenCircuitError) return new HisUnavailableError(code, 'circuit open');
    if (err instanceof TaskCancelledError) return new HisUnavailableError(code, 'timeout');
    if (err instanceof AxiosError) {
      if (!err.response) return new HisUnavailableError(code, err.code ?? 'network error');
      if (err.response.status >= 500) return new HisUnavailableError(code, `status ${err.response.status}`);
      const body = (err.response.data ?? {}) as { code?: string; message?: string };
      return new HisRejectedError(code, body.code ?? `HTTP_${err.response.status}`, body.message ?? '');
    }
    return err;
  }
}
