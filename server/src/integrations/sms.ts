import type { AxiosInstance } from 'axios';
import { providerHttp } from './provider-http';
import { providerFailure } from './provider-error';

/**
 * SMS templates registered with the gateway: a template id and its variables,
 * never free text. Variables carry no personal data beyond a masked name.
 */
export type SmsTemplate =
  | 'login_code'
  | 'booking_confirmed'
  | 'booking_cancelled'
  | 'schedule_changed'
  | 'waitlist_granted'
  | 'visit_reminder'
  | 'report_ready'
  | 'critical_value'
  | 'queue_near'
  | 'triage_reply'
  | 'measure_reminder';

/** SMS gateway (the simulator in development). */
export class SmsClient {
  private readonly http: AxiosInstance;

  constructor(config: { baseUrl: string; apiKey: string }) {
    this.http = providerHttp(config);
  }

  /**
   * Sends a template message. `clientRef` is the gateway's idempotency key: the
   * same ref again is accepted without a second message (an outbox retry after
   * a crash between the gateway's acceptance and our commit). Throws ProviderError.
   */
  async send(
    phone: string,
    template: SmsTemplate,
    params: Record<string, string>,
    clientRef?: string,
  ): Promise<{ messageId: string }> {
    try {
      const { data } = await this.http.post<{ id: string }>('/v1/messages', { phone, template, params, clientRef });
      return { messageId: data.id };
    } catch (err) {
      throw providerFailure('sms', err);
    }
  }
}
