import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes as Switch, useLocation } from 'react-router-dom';
import { Spin } from 'antd';
import type { StaffRole } from '@common/console/roles';
import { Shell } from './layout';
import { LoginPage } from './pages/login';
import { Forbidden, NotFound, Workbench } from './pages/misc';
import { isAdmin, useSession } from './session';

const Dashboard = lazy(() => import('./pages/dashboard'));
const Hospitals = lazy(() => import('./pages/hospitals'));
const HospitalPage = lazy(() => import('./pages/hospital'));
const Schedule = lazy(() => import('./pages/schedule'));
const Appointments = lazy(() => import('./pages/appointments'));
const Staff = lazy(() => import('./pages/staff'));
const Audit = lazy(() => import('./pages/audit'));
const Notifications = lazy(() => import('./pages/notifications'));
const Account = lazy(() => import('./pages/account'));
const Articles = lazy(() => import('./pages/articles'));
const Triage = lazy(() => import('./pages/triage'));

const ADMINS: StaffRole[] = ['platform_admin', 'hospital_admin'];

/** A page for some roles only; anyone else sees 无权访问 (the server refuses their calls anyway). */
function Only({ roles, children }: { roles: StaffRole[]; children: ReactNode }) {
  const { session } = useSession();
  return roles.includes(session!.staff.role) ? <>{children}</> : <Forbidden />;
}

export function Routes() {
  const { session, recoveryCodes } = useSession();
  const location = useLocation();
  if (session === undefined) return <Spin fullscreen />;
  const signedIn = session?.stage === 'active' && !recoveryCodes;
  if (!signedIn && location.pathname !== '/login') {
    return <Navigate to='/login' replace state={{ from: location.pathname + location.search }} />;
  }
  if (!signedIn) return <LoginPage />;
  const home = isAdmin(session.staff.role) ? (
    <Dashboard />
  ) : session.staff.role === 'triage_nurse' ? (
    <Navigate to='/triage' replace />
  ) : (
    <Workbench />
  );
  return (
    <Shell>
      <Suspense fallback={<Spin style={{ display: 'block', margin: '80px auto' }} />}>
        <Switch>
          <Route
            path='/login'
            element={<Navigate to={(location.state as { from?: string } | null)?.from ?? '/'} replace />}
          />
          <Route path='/' element={home} />
          <Route
            path='/hospitals'
            element={
              <Only roles={ADMINS}>
                <Hospitals />
              </Only>
            }
          />
          <Route
            path='/hospitals/:id'
            element={
              <Only roles={ADMINS}>
                <HospitalPage />
              </Only>
            }
          />
          <Route
            path='/schedule'
            element={
              <Only roles={ADMINS}>
                <Schedule />
              </Only>
            }
          />
          <Route
            path='/appointments'
            element={
              <Only roles={ADMINS}>
                <Appointments />
              </Only>
            }
          />
          <Route
            path='/staff'
            element={
              <Only roles={ADMINS}>
                <Staff />
              </Only>
            }
          />
          <Route
            path='/audit'
            element={
              <Only roles={['platform_admin']}>
                <Audit />
              </Only>
            }
          />
          <Route
            path='/notifications'
            element={
              <Only roles={['platform_admin']}>
                <Notifications />
              </Only>
            }
          />
          <Route
            path='/articles'
            element={
              <Only roles={['platform_admin']}>
                <Articles />
              </Only>
            }
          />
          <Route
            path='/triage'
            element={
              <Only roles={['triage_nurse', 'platform_admin']}>
                <Triage />
              </Only>
            }
          />
          <Route path='/account' element={<Account />} />
          <Route path='*' element={<NotFound />} />
        </Switch>
      </Suspense>
    </Shell>
  );
}
