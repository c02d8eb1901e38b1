import axios, { type AxiosInstance } from 'axios';
import { AppError } from '../http/errors';

export interface WechatSession {
  openid: string;
  sessionKey: string;
  unionid?: string;
}

/** WeChat server API (the simulator in development). */
export class WechatClient {
  private readonly http: AxiosInstance;

  constructor(private readonly config: { baseUrl: string; appId: string; secret: string }) {
    this.http = axios.create({ baseURL: config.baseUrl, timeout: 5000 });
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
}
