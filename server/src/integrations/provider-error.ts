/**
 * A notification provider (WeChat, SMS, voice) refused or failed a send.
 * `permanent`: sending again cannot help (no subscription, a bad number, bad
 * data): the next channel is tried. `transient`: the provider is down or
 * slow: the outbox retries with backoff.
 */
export class ProviderError extends Error {
  constructor(
    readonly provider: 'wechat' | 'sms' | 'voice',
    readonly kind: 'permanent' | 'transient',
    readonly code: string,
    message = code,
  ) {
    super(`${provider} ${kind}: ${message}`);
    this.name = 'ProviderError';
  }
}

/** Any failure of an HTTP call to a provider, as a ProviderError: 4xx are permanent, the rest transient. */
export function providerFailure(provider: ProviderError['provider'], err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const status = (err as { response?: { status?: number } }).response?.status;
  const code = (err as { response?: { data?: { code?: string } } }).response?.data?.code;
  if (status && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new ProviderError(provider, 'permanent', code ?? `HTTP_${status}`);
  }
  return new ProviderError(provider, 'transient', code ?? (status ? `HTTP_${status}` : 'UNREACHABLE'));
}
