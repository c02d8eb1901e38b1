import axios, { type AxiosInstance } from 'axios';
import { demoHisSecret, signRequest } from '../../server/src/his/signing';
import { TEST_HIS_SIGNING_SEED } from '../../server/sim/his/server';

/**
 * An HTTP client to the HIS simulator that signs its `/h/<code>/...` requests
 * as the platform does, for tests that talk to a simulated hospital directly.
 */
export function signedHis(baseURL: string, seed = TEST_HIS_SIGNING_SEED): AxiosInstance {
  const http = axios.create({ baseURL });
  http.interceptors.request.use((config) => {
    const url = new URL(config.url!, baseURL);
    const code = /^\/h\/([^/]+)/.exec(url.pathname)?.[1];
    if (!code) return config;
    const body = config.data === undefined ? '' : JSON.stringify(config.data);
    const ts = Math.floor(Date.now() / 1000);
    config.data = body || undefined;
    config.headers.set('Content-Type', 'application/json');
    config.headers.set('x-yl-timestamp', String(ts));
    config.headers.set(
      'x-yl-signature',
      signRequest(demoHisSecret(seed, code), config.method!, url.pathname + url.search, ts, body),
    );
    return config;
  });
  return http;
}
