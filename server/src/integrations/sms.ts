import axios, { type AxiosInstance } from 'axios';
import { AppError } from '../http/errors';

/** SMS gateway (the simulator in development). Templates are registered with the gateway. */
export class SmsClient {
  private readonly http: AxiosInstance;

  constructor(config: { baseUrl: string; apiKey: string }) {
    this.http = axios.create({
      baseURL: config.baseUrl,
      timeout: 5000,
      headers: { Authorization: `Bearer ${config.apiKey}` },
    });
  }

  async send(phone: string, template: 'login_code', params: Record<string, string>): Promise<void> {
    try {
      await this.http.post('/v1/messages', { phone, template, params });
    } catch {
      throw new AppError(503, 'SMS_UNAVAILABLE', '短信发送失败，请稍后再试');
    }
  }
}
