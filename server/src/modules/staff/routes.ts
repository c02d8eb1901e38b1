import type { Context } from 'koa';
import { z } from 'zod';
import { SESSION_STAGES, STAFF_ROLES } from '../../../../common/console/roles';
import { defineRoute, type StaffCaller } from '../../http/route';
import { idParam } from '../../http/schemas';
import { toShanghaiIso } from '../../lib/time';
import { actorOf } from '../audit/service';
import { StaffSession } from './models';
import {
  consoleSession,
  createStaff,
  enrolled,
  loginForm,
  passwordChange,
  staffAccount,
  staffPage,
  staffQuery,
  totpConfirm,
  totpEnrolment,
  totpStep,
  updateStaff,
  withPassword,
  type ConsoleSessionDto,
} from './schemas';
import { csrfOf, type SessionRules, type StaffSessions } from './sessions';
import type { StaffService } from './service';
import type { StaffSignIn } from './sign-in';

const tags = ['console'];
const ALL = STAFF_ROLES;
const ADMINS = ['platform_admin', 'hospital_admin'] as const;
const none = z.void();

export interface StaffRouteDeps {
  signIn: StaffSignIn;
  staff: StaffService;
  sessions: StaffSessions;
  rules: SessionRules;
}

/** Sign-in steps, the session, and 人员与权限. */
export function staffRoutes(s: StaffRouteDeps) {
  /** Sets the session cookie and answers with what the console needs to go on. */
  const signedIn = async (ctx: Context, r: { token: string; session: StaffSession }): Promise<ConsoleSessionDto> => {
    s.sessions.setCookie(ctx, r.token);
    return {
      stage: r.session.stage,
      csrfToken: csrfOf(r.token),
      staff: await s.staff.get(r.session.staffId),
      expiresAt: toShanghaiIso(r.session.expiresAt),
      idleTimeoutSec: Math.round(s.rules.idleMs / 1000),
    };
  };
  /** The guard has checked the cookie; its token is on the request state. */
  const current = async (ctx: Context, staff: StaffCaller) =>
    signedIn(ctx, { token: ctx.state.staffToken as string, session: (await StaffSession.findByPk(staff.sessionId))! });
  const staffRoute = { tags, access: 'staff' as const };

  return [
    defineRoute({
      method: 'post',
      path: '/auth/login',
      operationId: 'consoleLogin',
      summary: 'Sign in with username and password; the answer names the next step (TOTP, enrolment, new password)',
      tags,
      access: 'public',
      body: loginForm,
      response: consoleSession,
      errors: [401, 403, 429],
      handler: async ({ body, ctx }) =>
        signedIn(ctx, await s.signIn.login(body.username, body.password, actorOf(undefined, ctx))),
    }),
    defineRoute({
      ...staffRoute,
      method: 'post',
      path: '/auth/totp',
      operationId: 'consoleVerifyTotp',
      summary: 'The second step: a TOTP code (each used once) or a recovery code',
      roles: ALL,
      stages: ['totp'],
      body: totpStep,
      response: consoleSession,
      errors: [429],
      handler: async ({ staff, body, ctx }) =>
        signedIn(ctx, await s.signIn.verifySecondFactor(staff.sessionId, body, actorOf(staff, ctx))),
    }),
    defineRoute({
      ...staffRoute,
      method: 'post',
      path: '/auth/totp/enrolment',
      operationId: 'consoleStartTotpEnrolment',
      summary: 'A new TOTP secret and its QR code; enrolment completes with a first code',
      roles: ALL,
      stages: ['enrol', 'active'],
      response: totpEnrolment,
      errors: [409],
      handler: ({ staff }) => s.signIn.startEnrolment(staff.id),
    }),
    defineRoute({
      ...staffRoute,
      method: 'post',
      path: '/auth/totp/enrolment/confirm',
      operationId: 'consoleConfirmTotpEnrolment',
      summary: 'Confirms TOTP enrolment with a first code; answers ten recovery codes, shown once',
      roles: ALL,
      stages: ['enrol', 'active'],
      body: totpConfirm,
      response: enrolled,
      errors: [409, 429],
      handler: async ({ staff, body, ctx }) => {
        const r = await s.signIn.confirmEnrolment(staff.sessionId, body.code, actorOf(staff, ctx));
        return { ...(await signedIn(ctx, r)), recoveryCodes: r.recoveryCodes };
      },
    }),
    defineRoute({
      ...staffRoute,
      method: 'post',
      path: '/auth/password',
      operationId: 'consoleChangePassword',
      summary: 'Replace the password (required after a one-time password); other sessions end',
      roles: ALL,
      stages: ['password', 'active'],
      body: passwordChange,
      response: consoleSession,
      errors: [429],
      handler: async ({ staff, body, ctx }) =>
        signedIn(
          ctx,
          await s.signIn.changePassword(staff.sessionId, body.currentPassword, body.newPassword, actorOf(staff, ctx)),
        ),
    }),
    defineRoute({
      ...staffRoute,
      method: 'get',
      path: '/auth/session',
      operationId: 'consoleGetSession',
      summary: 'The current session: its stage, the CSRF token and the signed-in account',
      roles: ALL,
      stages: SESSION_STAGES,
      response: consoleSession,
      handler: ({ staff, ctx }) => current(ctx, staff),
    }),
    defineRoute({
      ...staffRoute,
      method: 'post',
      path: '/auth/logout',
      operationId: 'consoleLogout',
      summary: 'End the session',
      roles: ALL,
      stages: SESSION_STAGES,
      response: none,
      status: 204,
      handler: async ({ staff, ctx }) => {
        await s.signIn.logout(staff.sessionId, actorOf(staff, ctx));
        s.sessions.setCookie(ctx, null);
      },
    }),

    defineRoute({
      ...staffRoute,
      method: 'get',
      path: '/staff',
      operationId: 'consoleListStaff',
      summary: 'Staff accounts the caller manages (hospital admins: nurses and experts of their hospitals)',
      roles: ADMINS,
      query: staffQuery,
      response: staffPage,
      handler: ({ staff, query }) => s.staff.list(staff, query),
    }),
    defineRoute({
      ...staffRoute,
      method: 'post',
      path: '/staff',
      operationId: 'consoleCreateStaff',
      summary: 'Create an account; answers its one-time password, shown once',
      roles: ADMINS,
      body: createStaff,
      response: withPassword,
      status: 201,
      errors: [404, 409],
      handler: ({ staff, body, ctx }) => s.staff.create(staff, body, actorOf(staff, ctx)),
    }),
    defineRoute({
      ...staffRoute,
      method: 'get',
      path: '/staff/:id',
      operationId: 'consoleGetStaff',
      summary: 'One staff account',
      roles: ADMINS,
      scope: [{ kind: 'staff', at: 'params.id' }],
      params: idParam,
      response: staffAccount,
      errors: [404],
      handler: ({ params }) => s.staff.get(params.id),
    }),
    defineRoute({
      ...staffRoute,
      method: 'put',
      path: '/staff/:id',
      operationId: 'consoleUpdateStaff',
      summary: 'Change name, role and hospitals of an account',
      roles: ADMINS,
      scope: [{ kind: 'staff', at: 'params.id' }],
      params: idParam,
      body: updateStaff,
      response: staffAccount,
      errors: [404, 409],
      handler: ({ staff, params, body, ctx }) => s.staff.update(staff, params.id, body, actorOf(staff, ctx)),
    }),
    defineRoute({
      ...staffRoute,
      method: 'post',
      path: '/staff/:id/reset-password',
      operationId: 'consoleResetStaffPassword',
      summary: 'Give an account a one-time password (shown once); its sessions end',
      roles: ADMINS,
      scope: [{ kind: 'staff', at: 'params.id' }],
      params: idParam,
      response: withPassword,
      errors: [404],
      handler: ({ staff, params, ctx }) => s.staff.resetPassword(params.id, actorOf(staff, ctx)),
    }),
    defineRoute({
      ...staffRoute,
      method: 'post',
      path: '/staff/:id/reset-totp',
      operationId: 'consoleResetStaffTotp',
      summary: "Remove an account's TOTP and recovery codes; it enrols again at its next sign-in",
      roles: ADMINS,
      scope: [{ kind: 'staff', at: 'params.id' }],
      params: idParam,
      response: staffAccount,
      errors: [404],
      handler: ({ staff, params, ctx }) => s.staff.resetTotp(params.id, actorOf(staff, ctx)),
    }),
    defineRoute({
      ...staffRoute,
      method: 'post',
      path: '/staff/:id/disable',
      operationId: 'consoleDisableStaff',
      summary: 'Disable an account; its sessions end at once',
      roles: ADMINS,
      scope: [{ kind: 'staff', at: 'params.id' }],
      params: idParam,
      response: staffAccount,
      errors: [404, 409],
      handler: ({ staff, params, ctx }) => s.staff.setDisabled(staff, params.id, true, actorOf(staff, ctx)),
    }),
    defineRoute({
      ...staffRoute,
      method: 'post',
      path: '/staff/:id/enable',
      operationId: 'consoleEnableStaff',
      summary: 'Enable a disabled account',
      roles: ADMINS,
      scope: [{ kind: 'staff', at: 'params.id' }],
      params: idParam,
      response: staffAccount,
      errors: [404, 409],
      handler: ({ staff, params, ctx }) => s.staff.setDisabled(staff, params.id, false, actorOf(staff, ctx)),
    }),
  ];
}
