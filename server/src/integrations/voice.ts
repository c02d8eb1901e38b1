import axios, { type AxiosInstance } from 'axios';
import { providerFailure } from './provider-error';

/**
 * Text-to-speech call notices (the simulator in development), for patients
 * who opted in, often older people without a smartphone.
 */
export class VoiceClient {
  private readonly http: AxiosInstance;

  constructor(config: { baseUrl: string; apiKey: string }) {
    this.http = axios.create({
      baseURL: config.baseUrl,
      timeout: 5000,
      headers: { Authorization: `Bearer ${config.apiKey}` },
    });
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
