import { defineRoute } from '../../http/route';
import type { BillService } from './bills';
import { billDetail, billListQuery, billPage, checkIn, checkInWindow, idParam, queueStatus } from './schemas';
import type { VisitService } from './service';

const tags = ['visit'];

export function visitRoutes(s: { visit: VisitService; bills: BillService }) {
  return [
    defineRoute({
      method: 'get',
      path: '/appointments/:id/check-in',
      operationId: 'getCheckInWindow',
      summary: 'When this appointment can be checked in (签到), and whether it can now',
      tags,
      access: 'user',
      params: idParam,
      response: checkInWindow,
      errors: [404],
      handler: ({ user, params }) => s.visit.checkInWindow(user.id, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/appointments/:id/check-in',
      operationId: 'checkIn',
      summary:
        'Check in within the window (CHECK_IN_WINDOW); the queue number follows once the hospital answers. Repeating it is harmless',
      tags,
      access: 'user',
      params: idParam,
      response: checkIn,
      errors: [403, 404, 409],
      rateLimit: 'writePerIp',
      handler: ({ user, params }) => s.visit.checkIn(user.id, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/appointments/:id/queue',
      operationId: 'getQueueStatus',
      summary: "Where a checked-in patient stands in the clinic room's queue, with an estimated wait",
      tags,
      access: 'user',
      params: idParam,
      response: queueStatus,
      errors: [404, 409, 503],
      handler: ({ user, params }) => s.visit.queueStatus(user.id, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/bills',
      operationId: 'listBills',
      summary:
        "A patient's bills grouped by visit with totals (integer fen), from the hospital named or else every hospital the patient has appointments or bills at; hospitals not reachable now are listed",
      tags,
      access: 'user',
      query: billListQuery,
      response: billPage,
      errors: [403, 404],
      handler: ({ user, query }) => s.bills.list(user.id, query),
    }),
    defineRoute({
      method: 'get',
      path: '/bills/:id',
      operationId: 'getBill',
      summary: 'One bill with its items grouped by category; `inconsistent` with the reasons when it does not add up',
      tags,
      access: 'user',
      params: idParam,
      response: billDetail,
      errors: [403, 404, 503],
      handler: ({ user, params }) => s.bills.get(user.id, params.id),
    }),
  ];
}
