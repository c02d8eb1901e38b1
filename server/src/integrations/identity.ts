import type { AxiosInstance } from 'axios';
import { providerHttp } from './provider-http';

export type VerificationResult =
  { status: 'verified' } | { status: 'rejected'; reason: string } | { status: 'pending'; reason: string };

/** Real-name verification: does this name belong to this ID number? */
export interface IdentityVerifier {
  verify(person: { name: string; idNumber: string }): Promise<VerificationResult>;
}

/**
 * HTTP identity-verification provider (the simulator in development). A
 * provider outage leaves the patient `pending`, to be verified again later,
 * rather than failing the request.
 */
export class HttpIdentityVerifier implements IdentityVerifier {
  private readonly http: AxiosInstance;

  constructor(config: { baseUrl: string; apiKey: string }) {
    this.http = providerHttp(config);
  }

  async verify(person: { name: string; idNumber: string }): Promise<VerificationResult> {
    try {
      const { data } = await this.http.post<{ match: boolean; reason?: string }>('/v1/verify', person);
      return data.match
        ? { status: 'verified' }
        : { status: 'rejected', reason: data.reason ?? '姓名与身份证号不一致' };
    } catch {
      return { status: 'pending', reason: '实名认证服务暂时不可用，稍后将自动重试' };
    }
  }
}
