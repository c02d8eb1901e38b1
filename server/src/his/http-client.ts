import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
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
import type { ZodType, z } from 'zod';
import type { Logger } from '../logger';
import { toShanghaiIso } from '../lib/time';
import {
  HIS_REFUSAL_CODES,
  HIS_REFUSAL_STATUSES,
  hisBills,
  hisBookingConfirmed,
  hisBookingFound,
  hisCheckedIn,
  hisDepartments,
  hisDoctors,
  hisMap,
  hisProfile,
  hisQueue,
  hisRefusal,
  hisReports,
  hisSessions,
} from './schemas';
import { HEADERS, freshTimestamp, sameSignature, signAnswer, signRequest } from './signing';
import {
  HisRejectedError,
  HisUnavailableError,
  type HisBill,
  type HisBookingRequest,
  type HisReport,
  type HisClient,
  type HisHealth,
  type HisStatus,
  type HisTarget,
} from './types';

export interface HisClientOptions {
  timeoutMs: number;
  readRetries: number;
  breakerFailures: number;
  breakerCooldownMs: number;
  /** Largest clock difference accepted on a signed answer. */
  maxSkewSec?: number;
  /** Production: refuse to call a hospital over plain HTTP. */
  requireHttps?: boolean;
}

interface HospitalLink {
  breaker: CircuitBreakerPolicy;
  read: IPolicy;
  write: IPolicy;
  /** Recent calls: duration in ms, or -1 for a failure. */
  recent: number[];
  lastError: { reason: string; at: string } | null;
}

const RECENT = 100;

/**
 * HIS client over HTTP (docs/his-interface.md). Each request is signed with
 * the hospital's secret, and each answer must carry the hospital's valid
 * signature and match its schema. Only a documented refusal (a 4xx with a
 * known code) is a "no" from the hospital; anything else that is not a valid
 * 2xx (network error, timeout, 5xx, 401, 429, 3xx, a bad signature, a
 * malformed body) is an outage: it counts against that hospital's circuit
 * breaker, is logged, and reads are retried. Writes are not retried here
 * (the outbox retries them with their idempotency key).
 */
export class HttpHisClient implements HisClient {
  private readonly http: AxiosInstance;
  private readonly links = new Map<string, HospitalLink>();

  constructor(
    private readonly options: HisClientOptions,
    private readonly log?: Logger,
  ) {
    this.http = axios.create({
      headers: { Accept: 'application/json' },
      maxRedirects: 0,
      validateStatus: () => true,
      // The raw text is signed: parse it ourselves, after checking the signature.
      transformResponse: (data: unknown) => data,
      responseType: 'text',
    });
  }

  getProfile(target: HisTarget) {
    return this.call(target, 'read', 'GET', '/profile', undefined, hisProfile);
  }

  async listDepartments(target: HisTarget) {
    return (await this.call(target, 'read', 'GET', '/departments', undefined, hisDepartments)).items;
  }

  async listDoctors(target: HisTarget) {
    return (await this.call(target, 'read', 'GET', '/doctors', undefined, hisDoctors)).items;
  }

  async listSessions(target: HisTarget, from: string, to: string) {
    const q = `?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    return (await this.call(target, 'read', 'GET', `/schedules${q}`, undefined, hisSessions)).items;
  }

  confirmBooking(target: HisTarget, booking: HisBookingRequest) {
    return this.call(target, 'write', 'POST', '/bookings', booking, hisBookingConfirmed);
  }

  async cancelBooking(target: HisTarget, hisBookingId: string, idempotencyKey: string) {
    await this.call(target, 'write', 'POST', `/bookings/${encodeURIComponent(hisBookingId)}/cancel`, {
      idempotencyKey,
    });
  }

  findBooking(target: HisTarget, idempotencyKey: string) {
    return this.call(target, 'read', 'POST', '/bookings/lookup', { idempotencyKey }, hisBookingFound);
  }

  async queryReports(target: HisTarget, query: { idNumber: string; from?: string; to?: string }): Promise<HisReport[]> {
    try {
      return (await this.call(target, 'read', 'POST', '/reports/query', query, hisReports)).items;
    } catch (err) {
      if (err instanceof HisRejectedError && err.hisCode === 'PATIENT_UNKNOWN') return [];
      throw err;
    }
  }

  getMap(target: HisTarget) {
    return this.call(target, 'read', 'GET', '/map', undefined, hisMap);
  }

  checkIn(target: HisTarget, input: { idempotencyKey: string; hisBookingId: string }) {
    return this.call(target, 'write', 'POST', '/checkins', input, hisCheckedIn);
  }

  getQueue(target: HisTarget, roomCode: string) {
    return this.call(target, 'read', 'GET', `/queues/${encodeURIComponent(roomCode)}`, undefined, hisQueue);
  }

  async queryBills(target: HisTarget, query: { idNumber: string; from?: string; to?: string }): Promise<HisBill[]> {
    try {
      return (await this.call(target, 'read', 'POST', '/bills/query', query, hisBills)).items;
    } catch (err) {
      if (err instanceof HisRejectedError && err.hisCode === 'PATIENT_UNKNOWN') return [];
      throw err;
    }
  }

  status(hospitalCode: string): HisStatus {
    const state = this.links.get(hospitalCode)?.breaker.state;
    return state === CircuitState.Open || state === CircuitState.Isolated ? 'unavailable' : 'online';
  }

  health(hospitalCode: string): HisHealth {
    const link = this.links.get(hospitalCode);
    const ok = (link?.recent ?? []).filter((ms) => ms >= 0).sort((a, b) => a - b);
    return {
      status: this.status(hospitalCode),
      calls: link?.recent.length ?? 0,
      failures: (link?.recent.length ?? 0) - ok.length,
      latencyMs: ok.length
        ? {
            mean: Math.round(ok.reduce((n, ms) => n + ms, 0) / ok.length),
            p95: ok[Math.min(ok.length - 1, Math.floor(ok.length * 0.95))],
          }
        : null,
      lastError: link?.lastError ?? null,
    };
  }

  private link(code: string): HospitalLink {
    let link = this.links.get(code);
    if (!link) {
      // A refusal is the hospital working as designed; everything else counts against it.
      const failure = handleWhen((err) => !(err instanceof HisRejectedError));
      const breaker = circuitBreaker(failure, {
        halfOpenAfter: this.options.breakerCooldownMs,
        breaker: new ConsecutiveBreaker(this.options.breakerFailures),
      });
      breaker.onBreak(() => this.log?.error({ hospital: code }, 'HIS circuit opened'));
      breaker.onReset(() => this.log?.info({ hospital: code }, 'HIS circuit closed'));
      const perTry = timeout(this.options.timeoutMs, TimeoutStrategy.Aggressive);
      const retries = retry(failure, {
        maxAttempts: this.options.readRetries,
        backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1000 }),
      });
      link = {
        breaker,
        read: wrap(retries, breaker, perTry),
        write: wrap(breaker, perTry),
        recent: [],
        lastError: null,
      };
      this.links.set(code, link);
    }
    return link;
  }

  private async call<S extends ZodType>(
    target: HisTarget,
    kind: 'read' | 'write',
    method: 'GET' | 'POST',
    pathAndQuery: string,
    body: unknown,
    schema?: S,
  ): Promise<z.output<S>> {
    const link = this.link(target.code);
    const started = performance.now();
    try {
      if (this.options.requireHttps && !target.baseUrl.startsWith('https://')) {
        throw new HisUnavailableError(target.code, 'insecure base url (HTTPS required)');
      }
      // A fresh parent signal per call: cockatiel's shared default collects listeners.
      const value = await link[kind].execute(
        ({ signal }) => this.exchange(target, method, pathAndQuery, body, signal, schema),
        new AbortController().signal,
      );
      this.record(link, performance.now() - started);
      return value as z.output<S>;
    } catch (raw) {
      const err = this.translate(target.code, raw as Error);
      if (err instanceof HisUnavailableError) {
        this.record(link, -1, err.reason);
        this.log?.warn(
          { hospital: target.code, reason: err.reason, path: pathAndQuery.split('?')[0] },
          'HIS call failed',
        );
      }
      throw err;
    }
  }

  /** One signed request and the checks on its answer. */
  private async exchange(
    target: HisTarget,
    method: 'GET' | 'POST',
    pathAndQuery: string,
    body: unknown,
    signal: AbortSignal,
    schema?: ZodType,
  ): Promise<unknown> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const ts = Math.floor(Date.now() / 1000);
    const url = new URL(target.baseUrl + pathAndQuery);
    const signature = signRequest(target.secret, method, url.pathname + url.search, ts, text);
    const res: AxiosResponse<string> = await this.http.request({
      url: url.toString(),
      method,
      data: text || undefined,
      headers: {
        ...(text ? { 'Content-Type': 'application/json' } : {}),
        [HEADERS.requestTimestamp]: String(ts),
        [HEADERS.requestSignature]: signature,
      },
      signal,
    });
    const unavailable = (reason: string) => new HisUnavailableError(target.code, reason);
    const raw = typeof res.data === 'string' ? res.data : '';
    const answerTs = Number(res.headers[HEADERS.answerTimestamp]);
    const answerSig = res.headers[HEADERS.answerSignature] as string | undefined;
    if (res.status >= 500) throw unavailable(`status ${res.status}`);
    if (!freshTimestamp(answerTs, this.options.maxSkewSec ?? 300))
      throw unavailable(`unsigned answer (status ${res.status})`);
    if (!sameSignature(answerSig, signAnswer(target.secret, res.status, answerTs, signature, raw))) {
      throw unavailable(`bad answer signature (status ${res.status})`);
    }
    const parsed = parseJson(raw);
    if (res.status >= 200 && res.status < 300) {
      if (!schema) return undefined;
      const result = schema.safeParse(parsed);
      if (!result.success) throw unavailable('malformed answer');
      return result.data;
    }
    const refusal = hisRefusal.safeParse(parsed);
    if (HIS_REFUSAL_STATUSES.has(res.status) && refusal.success && HIS_REFUSAL_CODES.has(refusal.data.code)) {
      throw new HisRejectedError(target.code, refusal.data.code, refusal.data.message);
    }
    throw unavailable(`status ${res.status}${refusal.success ? ` ${refusal.data.code}` : ''}`);
  }

  private record(link: HospitalLink, ms: number, reason?: string) {
    link.recent.push(ms < 0 ? -1 : Math.round(ms));
    if (link.recent.length > RECENT) link.recent.shift();
    if (reason) link.lastError = { reason, at: toShanghaiIso(new Date()) };
  }

  private translate(code: string, err: Error): Error {
    if (err instanceof HisUnavailableError || err instanceof HisRejectedError) return err;
    if (err instanceof BrokenCircuitError) return new HisUnavailableError(code, 'circuit open');
    if (err instanceof TaskCancelledError) return new HisUnavailableError(code, 'timeout');
    if (axios.isAxiosError(err)) return new HisUnavailableError(code, err.code ?? 'network error');
    return new HisUnavailableError(code, err.message);
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
