import type { AxiosInstance } from 'axios';
import { providerHttp } from './provider-http';
import { providerFailure } from './provider-error';

/**
 * Text-to-speech call notices (the simulator in development), for patients
 * who opted in, often older people without a smartphone.
 */
export class VoiceClient {
  private readonly http: AxiosInstance;

  constructor(config: { baseUrl: string; apiKey: string }) {
    this.http = providerHttp(config);
  }

  /** Places a call reading `text`; `clientRef` makes a repeated request one call. Throws ProviderError. */
  async call(phone: string, text: string, clientRef: string): Promise<{ callId: string }> {
    try {
      const { data } = await this.http.post<{ id: string }>('/v1/calls', { phone, text, clientRef });
      return { callId: data.id };
    } catch (err) {
      throw providerFailure('voice', err);
    }
  }
}
