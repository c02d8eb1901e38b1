import type { QueryInterface } from 'sequelize';
import * as m0001 from './0001-hospitals';
import * as m0002 from './0002-accounts';
import * as m0003 from './0003-booking';
import * as m0004 from './0004-booking-indexes';
import * as m0005 from './0005-hardening';
import * as m0006 from './0006-console';
import * as m0007 from './0007-reports';
import * as m0008 from './0008-notifications';
import * as m0009 from './0009-navigation';
import * as m0010 from './0010-visit';
import * as m0011 from './0011-triage';
import * as m0012 from './0012-health';
import * as m0013 from './0013-health-reminders';

export interface Migration {
  name: string;
  up(qi: QueryInterface): Promise<void>;
  down(qi: QueryInterface): Promise<void>;
}

/** Every migration, in order. A new one is a new file added to the end of this list. */
export const migrations: Migration[] = [
  { name: '0001-hospitals', ...m0001 },
  { name: '0002-accounts', ...m0002 },
  { name: '0003-booking', ...m0003 },
  { name: '0004-booking-indexes', ...m0004 },
  { name: '0005-hardening', ...m0005 },
  { name: '0006-console', ...m0006 },
  { name: '0007-reports', ...m0007 },
  { name: '0008-notifications', ...m0008 },
  { name: '0009-navigation', ...m0009 },
  { name: '0010-visit', ...m0010 },
  { name: '0011-triage', ...m0011 },
  { name: '0012-health', ...m0012 },
  { name: '0013-health-reminders', ...m0013 },
];
