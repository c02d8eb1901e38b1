import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { SlotLevel } from '../../his/types';

type A<M extends Model> = InferAttributes<M>;
type C<M extends Model> = InferCreationAttributes<M>;

export type AppointmentStatus = 'booked' | 'checked_in' | 'completed' | 'cancelled' | 'no_show';
export const ACTIVE_STATUSES: AppointmentStatus[] = ['booked', 'checked_in'];

/** A hospital's booking rules; hospitals without a row use the platform defaults. */
export class BookingRule extends Model<A<BookingRule>, C<BookingRule>> {
  declare hospitalId: string;
  declare windowDays: number;
  declare releaseTime: string;
  declare stopTime: string;
  declare cancelCutoffHours: number;
  declare maxActive: number;
  declare noShowLimit: number;
  declare noShowWindowDays: number;
  declare suspendDays: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A timed slot of a doctor's session: the hospital's allotted seats and how many are booked. */
export class Slot extends Model<A<Slot>, C<Slot>> {
  declare id: string;
  declare hospitalId: string;
  declare departmentId: string;
  declare doctorId: string;
  declare hisCode: string;
  declare date: string;
  declare period: 'am' | 'pm';
  declare startAt: Date;
  declare endAt: Date;
  declare level: SlotLevel;
  declare feeFen: number;
  declare capacity: number;
  /** Seats the hospital added on the console (加号), kept when the HIS's capacity is synced. */
  declare addedCapacity: CreationOptional<number>;
  declare booked: CreationOptional<number>;
  declare closed: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Appointment extends Model<A<Appointment>, C<Appointment>> {
  declare id: string;
  declare userId: string;
  declare patientId: string;
  declare slotId: string;
  declare doctorId: string;
  declare hospitalId: string;
  declare date: string;
  declare status: AppointmentStatus;
  declare bookingCode: string;
  declare feeFen: number;
  declare idempotencyKey: CreationOptional<string | null>;
  declare requestHash: CreationOptional<string | null>;
  declare hisStatus: 'pending' | 'confirmed' | 'rejected';
  declare hisBookingId: CreationOptional<string | null>;
  declare cancelReason: CreationOptional<string | null>;
  declare cancelledAt: CreationOptional<Date | null>;
  declare fromWaitlist: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class WaitlistEntry extends Model<A<WaitlistEntry>, C<WaitlistEntry>> {
  declare id: string;
  declare userId: string;
  declare patientId: string;
  declare slotId: string;
  declare status: 'waiting' | 'granted' | 'cancelled' | 'expired';
  declare appointmentId: CreationOptional<string | null>;
  declare endReason: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** What happened, for the notification module to deliver. */
export class DomainEvent extends Model<A<DomainEvent>, C<DomainEvent>> {
  declare id: string;
  declare type: string;
  declare userId: string | null;
  declare aggregateId: string;
  declare payload: string;
  declare deliveredAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

const s32 = DataTypes.STRING(32);
const stamps = { createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE };
const opts = (sequelize: Sequelize, tableName: string) => ({ sequelize, tableName, underscored: true });

export function initBookingModels(sequelize: Sequelize) {
  BookingRule.init(
    {
      hospitalId: { type: s32, primaryKey: true },
      windowDays: DataTypes.INTEGER,
      releaseTime: DataTypes.STRING(5),
      stopTime: DataTypes.STRING(5),
      cancelCutoffHours: DataTypes.INTEGER,
      maxActive: DataTypes.INTEGER,
      noShowLimit: DataTypes.INTEGER,
      noShowWindowDays: DataTypes.INTEGER,
      suspendDays: DataTypes.INTEGER,
      ...stamps,
    },
    opts(sequelize, 'booking_rules'),
  );
  Slot.init(
    {
      id: { type: s32, primaryKey: true },
      hospitalId: s32,
      departmentId: s32,
      doctorId: s32,
      hisCode: DataTypes.STRING(80),
      date: DataTypes.STRING(10),
      period: DataTypes.STRING(2),
      startAt: DataTypes.DATE,
      endAt: DataTypes.DATE,
      level: DataTypes.STRING(10),
      feeFen: DataTypes.INTEGER,
      capacity: DataTypes.INTEGER,
      addedCapacity: { type: DataTypes.INTEGER, defaultValue: 0 },
      booked: { type: DataTypes.INTEGER, defaultValue: 0 },
      closed: { type: DataTypes.BOOLEAN, defaultValue: false },
      ...stamps,
    },
    opts(sequelize, 'slots'),
  );
  Appointment.init(
    {
      id: { type: s32, primaryKey: true },
      userId: s32,
      patientId: s32,
      slotId: s32,
      doctorId: s32,
      hospitalId: s32,
      date: DataTypes.STRING(10),
      status: DataTypes.STRING(20),
      bookingCode: DataTypes.STRING(12),
      feeFen: DataTypes.INTEGER,
      idempotencyKey: DataTypes.STRING(80),
      requestHash: DataTypes.STRING(64),
      hisStatus: DataTypes.STRING(20),
      hisBookingId: DataTypes.STRING(64),
      cancelReason: DataTypes.STRING(200),
      cancelledAt: DataTypes.DATE,
      fromWaitlist: { type: DataTypes.BOOLEAN, defaultValue: false },
      ...stamps,
    },
    opts(sequelize, 'appointments'),
  );
  WaitlistEntry.init(
    {
      id: { type: s32, primaryKey: true },
      userId: s32,
      patientId: s32,
      slotId: s32,
      status: DataTypes.STRING(20),
      appointmentId: s32,
      endReason: DataTypes.STRING(100),
      ...stamps,
    },
    opts(sequelize, 'waitlist_entries'),
  );
  DomainEvent.init(
    {
      id: { type: s32, primaryKey: true },
      type: DataTypes.STRING(60),
      userId: s32,
      aggregateId: s32,
      payload: DataTypes.TEXT,
      deliveredAt: DataTypes.DATE,
      ...stamps,
    },
    opts(sequelize, 'domain_events'),
  );
}
