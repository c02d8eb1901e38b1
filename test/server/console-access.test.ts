import { STAFF_ROLES, type StaffRole } from '../../common/console/roles';
import type { RouteSpec, ScopeKind } from '../../server/src/http/route';
import { Slot } from '../../server/src/modules/booking/models';
import { accountWithPatients, book, openSlots } from '../support/booking';
import { consoleSignIn, makeStaff, type ConsoleClient } from '../support/console';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/**
 * Role and hospital scope on every console route, generated from the route
 * table the app mounts: a route added later is tested without anyone
 * remembering to. Each role calls every route it is not listed for (403);
 * a hospital admin of hospital A names hospital B's records in every scoped
 * input (404, as for a missing id).
 */
let p: TestPlatform;
let clients: Record<StaffRole, ConsoleClient>;
/** Records of hospital B, by the kind of id a route takes. */
let theirs: Record<ScopeKind, string>;
let mine: Record<ScopeKind, string>;
let routes: RouteSpec[];

async function recordsOf(index: number, hospitalId: string): Promise<Record<ScopeKind, string>> {
  const [slotView] = await openSlots(p, index);
  const slot = (await Slot.findByPk(slotView.id))!;
  const { session, patientIds } = await accountWithPatients(p);
  const apt = await book(p, session, slot.id, patientIds[0]).expect(201);
  const nurse = await makeStaff(p, 'triage_nurse', [hospitalId]);
  const ticket = await p.api
    .post('/api/v1/triage/tickets')
    .set(session.auth)
    .send({ hospitalId, summary: '咨询', text: '咳嗽' })
    .expect(201);
  return {
    hospital: hospitalId,
    department: slot.departmentId,
    doctor: slot.doctorId,
    slot: slot.id,
    appointment: apt.body.id,
    staff: nurse.id,
    triage_ticket: ticket.body.id,
  };
}

beforeAll(async () => {
  p = await startTestPlatform();
  routes = p.consoleRoutes.filter((r) => r.access === 'staff');
  const hospitals = (await p.api.get('/api/v1/hospitals')).body.items;
  mine = await recordsOf(0, hospitals[0].id);
  theirs = await recordsOf(1, hospitals[1].id);
  clients = {} as Record<StaffRole, ConsoleClient>;
  for (const role of STAFF_ROLES) {
    clients[role] = await consoleSignIn(p, await makeStaff(p, role, role === 'platform_admin' ? [] : [mine.hospital]));
  }
});
afterAll(() => p.close());

/** A request to a route with its scoped inputs filled from `records` and everything else left empty. */
function call(c: ConsoleClient, spec: RouteSpec, records: Record<ScopeKind, string>) {
  const refs = spec.scope ?? [];
  const valueAt = (at: string) => records[refs.find((r) => r.at === at)?.kind ?? 'hospital'];
  const path = spec.path.replace(/:(\w+)/g, (_, name) => valueAt(`params.${name}`));
  const query = Object.fromEntries(
    refs.filter((r) => r.at.startsWith('query.')).map((r) => [r.at.slice(6), records[r.kind]]),
  );
  const body = Object.fromEntries(
    refs.filter((r) => r.at.startsWith('body.')).map((r) => [r.at.slice(5), records[r.kind]]),
  );
  if (spec.method === 'get') return c.get(path).query(query);
  return c.agent[spec.method](`/api/console/v1${path}`).query(query).set('X-CSRF-Token', c.csrf).send(body);
}

const shapeKeys = (schema: unknown) => Object.keys((schema as { shape?: object } | undefined)?.shape ?? {});

describe('every console route', () => {
  it('is a staff route that lists its roles, except sign-in itself', () => {
    expect(routes.length).toBeGreaterThan(20);
    const others = p.consoleRoutes.filter((r) => r.access !== 'staff').map((r) => r.operationId);
    expect(others).toEqual(['consoleLogin']);
    for (const r of routes) expect(r.roles?.length).toBeGreaterThan(0);
  });

  it('declares the scope of every id a hospital admin can send', () => {
    for (const r of routes.filter((x) => x.roles!.includes('hospital_admin'))) {
      const ids = [
        ...[...r.path.matchAll(/:(\w+)/g)].map((m) => `params.${m[1]}`),
        ...shapeKeys(r.query)
          .filter((k) => /Id$/.test(k))
          .map((k) => `query.${k}`),
        ...shapeKeys(r.body)
          .filter((k) => /Id$/.test(k))
          .map((k) => `body.${k}`),
      ];
      const scoped = (r.scope ?? []).map((s) => s.at);
      expect({ route: r.operationId, missing: ids.filter((id) => !scoped.includes(id as never)) }).toEqual({
        route: r.operationId,
        missing: [],
      });
    }
  });

  it('answers 403 to every role it does not list', async () => {
    const refused: string[] = [];
    for (const r of routes) {
      for (const role of STAFF_ROLES.filter((x) => !r.roles!.includes(x))) {
        const res = await call(clients[role], r, mine);
        if (res.status !== 403 || res.body.error.code !== 'FORBIDDEN') {
          refused.push(`${role} ${r.operationId}: ${res.status} ${res.body.error?.code}`);
        }
      }
    }
    expect(refused).toEqual([]);
  });

  it('answers 404 to a hospital admin naming another hospital’s records', async () => {
    const leaks: string[] = [];
    let checked = 0;
    for (const r of routes.filter((x) => x.roles!.includes('hospital_admin') && x.scope?.length)) {
      // Each scoped input on its own: the others point at the admin's own hospital.
      for (const ref of r.scope!) {
        const records = { ...mine };
        const mixed = new Proxy(records, {
          get: (target, kind: ScopeKind) =>
            r.scope!.find((x) => x.kind === kind && x.at === ref.at) ? theirs[kind] : target[kind],
        });
        const res = await call(clients.hospital_admin, r, mixed);
        checked++;
        if (res.status !== 404 || res.body.error.code !== 'NOT_FOUND') {
          leaks.push(`${r.operationId} ${ref.at}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(12);
  });

  it('lets a platform admin reach every hospital’s records', async () => {
    const r = await clients.platform_admin.get(`/hospitals/${theirs.hospital}`);
    expect(r.status).toBe(200);
  });
});

describe('lists in a hospital admin’s scope', () => {
  it('shows only their hospitals, appointments and staff', async () => {
    const admin = clients.hospital_admin;
    expect((await admin.get('/hospitals')).body.items.map((h: { id: string }) => h.id)).toEqual([mine.hospital]);
    const dash = (await admin.get('/dashboard')).body;
    expect(dash.hospitals.map((h: { hospital: { id: string } }) => h.hospital.id)).toEqual([mine.hospital]);
    expect(dash.outbox).toBeNull();
    const apts = (await admin.get('/appointments')).body.items;
    expect(apts.map((a: { id: string }) => a.id)).toEqual([mine.appointment]);
    const staff = (await admin.get('/staff')).body.items.map((s: { id: string }) => s.id);
    expect(staff).toContain(mine.staff);
    expect(staff).not.toContain(theirs.staff);
  });

  it('refuses to hand out admin roles or another hospital', async () => {
    const admin = clients.hospital_admin;
    const base = { username: 'new.nurse.x', displayName: '新护士', role: 'triage_nurse' };
    const other = await admin.post('/staff', { ...base, hospitalIds: [theirs.hospital] });
    expect(other.status).toBe(404);
    const adminRole = await admin.post('/staff', { ...base, role: 'hospital_admin', hospitalIds: [mine.hospital] });
    expect(adminRole.status).toBe(403);
    const ok = await admin.post('/staff', { ...base, hospitalIds: [mine.hospital] });
    expect(ok.status).toBe(201);
    expect(ok.body.oneTimePassword).toMatch(/^[A-Za-z0-9]{16}$/);
  });
});
