import axios, { type AxiosInstance } from 'axios';

/** An HTTP client to a provider that authenticates with an API key (SMS, voice, identity verification). */
export function providerHttp(config: { baseUrl: string; apiKey: string }, timeoutMs = 5000): AxiosInstance {
  return axios.create({
    baseURL: config.baseUrl,
    timeout: timeoutMs,
    headers: { Authorization: `Bearer ${config.apiKey}` },
  });
}
