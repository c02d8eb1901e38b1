import axios, { type AxiosInstance } from 'axios';
import { AppError } from '../http/errors';
import { ProviderError, providerFailure } from './provider-error';
import type { SharedAccessToken } from './wechat-token';

export interface WechatSession {
  openid: string;
  sessionKey: string;
  unionid?: string;
}

/** Subscribe-message data: `{ thing1: { value: '...' }, time2: { value: '...' } }`. */
export type TemplateData = Record<string, { value: string }>;

/** WeChat server API (the simulator in development). */
export class WechatClient {
  private readonly http: AxiosInstance;
  private token: SharedAccessToken | undefined;

  constructor(private readonly config: { baseUrl: string; appId: string; secret: string }) {
    this.http = axios.create({ baseURL: config.baseUrl, timeout: 5000 });
  }

  /** The shared access-token store (needs the database); subscribe messages need it. */
  useTokens(token: SharedAccessToken) {
    this.token = token;
  }

  /** Exchanges a `wx.login` code for the user's openid; the session key never leaves the server. */
  async codeToSession(code: string): Promise<WechatSession> {
    let data: { openid?: string; session_key?: string; unionid?: string; errcode?: number };
    try {
      ({ data } = await this.http.get('/sns/jscode2session', {
        params: {
          appid: this.config.appId,
          secret: this.config.secret,
          js_code: code,
          grant_type: 'authorization_code',
        },
      }));
    } catch {
      throw new AppError(503, 'WECHAT_UNAVAILABLE', '微信服务暂时无法连接，请稍后再试');
    }
    if (data.errcode === 40029 || data.errcode === 40163) {
      throw new AppError(401, 'WECHAT_CODE_INVALID', '微信登录凭证无效或已使用，请重新登录');
    }
    if (data.errcode === 45011) throw new AppError(429, 'WECHAT_RATE_LIMITED', '登录过于频繁，请稍后再试');
    if (data.errcode || !data.openid || !data.session_key) {
      throw new AppError(502, 'WECHAT_ERROR', '微信登录失败，请稍后再试');
    }
    return { openid: data.openid, sessionKey: data.session_key, unionid: data.unionid };
  }

  /** cgi-bin/token: a fresh access token (called by SharedAccessToken only). */
  async fetchAccessToken(): Promise<{ token: string; expiresInSec: number }> {
    let data: { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string };
    try {
      ({ data } = await this.http.get('/cgi-bin/token', {
        params: { grant_type: 'client_credential', appid: this.config.appId, secret: this.config.secret },
      }));
    } catch (err) {
      throw providerFailure('wechat', err);
    }
    if (!data.access_token || !data.expires_in) {
      throw new ProviderError('wechat', 'transient', `TOKEN_${data.errcode ?? 'MISSING'}`, data.errmsg);
    }
    return { token: data.access_token, expiresInSec: data.expires_in };
  }

  /**
   * Sends a subscribe message (订阅消息), using up one of the user's one-time
   * authorisations for the template. WeChat's errors by meaning: 43101 no
   * authorisation and 40003 bad openid and 47003 bad data are permanent (the
   * next channel is tried); an expired or invalid access token is renewed and
   * the send tried once more; anything else is transient (retried later).
   * WeChat offers no idempotency key for this call.
   */
  async sendSubscribeMessage(msg: { openid: string; templateId: string; page: string; data: TemplateData }) {
    if (!this.token) throw new Error('WechatClient.useTokens() was not called');
    for (let attempt = 0; ; attempt++) {
      const token = await this.token.get();
      let data: { errcode?: number; errmsg?: string; msgid?: number };
      try {
        ({ data } = await this.http.post(
          '/cgi-bin/message/subscribe/send',
          {
            touser: msg.openid,
            template_id: msg.templateId,
            page: msg.page,
            data: msg.data,
            miniprogram_state: 'formal',
            lang: 'zh_CN',
          },
          { params: { access_token: token } },
        ));
      } catch (err) {
        throw providerFailure('wechat', err);
      }
      const code = data.errcode ?? 0;
      if (code === 0) return { messageId: String(data.msgid ?? '') };
      if ((code === 40001 || code === 42001 || code === 40014) && attempt === 0) {
        await this.token.invalidate(token);
        continue;
      }
      const permanent = { 43101: 'NO_SUBSCRIPTION', 40003: 'BAD_OPENID', 47003: 'BAD_DATA' }[code];
      throw new ProviderError(
        'wechat',
        permanent ? 'permanent' : 'transient',
        permanent ?? `ERRCODE_${code}`,
        data.errmsg,
      );
    }
  }
}
