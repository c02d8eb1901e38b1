import { z } from 'zod';
import { defineRoute } from '../../http/route';
import type { AccountService } from './service';
import type { SignInService } from './sign-in';
import type { TokenService } from './tokens';
import { privacyPolicy } from './policy';
import {
  consent,
  consentKindParam,
  grantConsent,
  me,
  phoneSignIn,
  policy,
  refreshRequest,
  smsCodeRequest,
  smsCodeSent,
  tokenPair,
  tokens,
  wechatSignIn,
} from './schemas';

const none = z.void();

export function accountRoutes(s: {
  signIn: SignInService;
  accounts: AccountService;
  tokens: TokenService;
  policyVersion: string;
}) {
  const signedIn = async (r: { userId: string; tokens: z.input<typeof tokenPair> }) => ({
    ...r.tokens,
    user: await s.accounts.me(r.userId),
  });
  return [
    defineRoute({
      method: 'post',
      path: '/auth/sms-code',
      operationId: 'sendSmsCode',
      summary: 'Send a 6-digit sign-in code by SMS (5 min; one per 60 s; 10 a day)',
      tags: ['auth'],
      access: 'public',
      body: smsCodeRequest,
      response: smsCodeSent,
      status: 202,
      errors: [429, 503],
      handler: ({ body, ctx }) => s.signIn.sendSmsCode(body.phone, ctx.ip),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/phone',
      operationId: 'signInWithPhone',
      summary: 'Sign in (H5) with phone and SMS code; 5 wrong codes lock the code',
      tags: ['auth'],
      access: 'public',
      body: phoneSignIn,
      response: tokens,
      errors: [401, 403, 429],
      handler: async ({ body, ctx }) => signedIn(await s.signIn.signInWithPhone(body.phone, body.code, ctx.ip)),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/wechat',
      operationId: 'signInWithWechat',
      summary: 'Sign in (mini-program) with a wx.login code',
      tags: ['auth'],
      access: 'public',
      body: wechatSignIn,
      response: tokens,
      errors: [401, 429, 503],
      handler: async ({ body, ctx }) => signedIn(await s.signIn.signInWithWechat(body.code, ctx.ip)),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/refresh',
      operationId: 'refreshTokens',
      summary: 'Rotate the refresh token; reusing an old one ends the session',
      tags: ['auth'],
      access: 'public',
      body: refreshRequest,
      response: tokenPair,
      errors: [401],
      rateLimit: 'refreshPerIp',
      handler: ({ body }) => s.tokens.refresh(body.refreshToken),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      operationId: 'logout',
      summary: 'End this session (its access and refresh tokens stop working)',
      tags: ['auth'],
      access: 'user',
      response: none,
      status: 204,
      handler: async ({ user }) => s.tokens.revokeSession(user.sessionId, 'logout'),
    }),
    defineRoute({
      method: 'get',
      path: '/me',
      operationId: 'getMe',
      summary: 'The signed-in account (phone masked)',
      tags: ['account'],
      access: 'user',
      response: me,
      handler: ({ user }) => s.accounts.me(user.id),
    }),
    defineRoute({
      method: 'delete',
      path: '/me',
      operationId: 'deleteAccount',
      summary: 'Delete the account: personal data erased or de-identified, all sessions ended',
      tags: ['account'],
      access: 'user',
      response: none,
      status: 204,
      handler: ({ user }) => s.accounts.deleteAccount(user.id),
    }),
    defineRoute({
      method: 'get',
      path: '/privacy-policy',
      operationId: 'getPrivacyPolicy',
      summary: 'The current privacy policy and its version',
      tags: ['account'],
      access: 'public',
      response: policy,
      handler: async () => privacyPolicy(s.policyVersion),
    }),
    defineRoute({
      method: 'get',
      path: '/me/consents',
      operationId: 'listConsents',
      summary: 'Consent records, newest first (withdrawn ones included)',
      tags: ['account'],
      access: 'user',
      response: z.object({ items: z.array(consent) }),
      handler: ({ user }) => s.accounts.listConsents(user.id),
    }),
    defineRoute({
      method: 'post',
      path: '/me/consents',
      operationId: 'grantConsent',
      summary: 'Give separate consent to processing health data under the current policy',
      tags: ['account'],
      access: 'user',
      body: grantConsent,
      response: consent,
      status: 201,
      errors: [409],
      handler: ({ user, body }) => s.accounts.grantConsent(user.id, body.kind, body.policyVersion),
    }),
    defineRoute({
      method: 'delete',
      path: '/me/consents/:kind',
      operationId: 'withdrawConsent',
      summary: 'Withdraw consent',
      tags: ['account'],
      access: 'user',
      params: consentKindParam,
      response: none,
      status: 204,
      handler: ({ user, params }) => s.accounts.withdrawConsent(user.id, params.kind),
    }),
  ];
}
