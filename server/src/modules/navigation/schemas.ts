import { z } from 'zod';
import { POI_CATEGORIES } from './map-format';

export const hospitalIdParam = z.object({ id: z.string().min(1).max(64) });

export const poiQuery = z
  .object({
    q: z.string().trim().max(40).optional(),
    departmentId: z.string().min(1).max(64).optional(),
    category: z.enum(POI_CATEGORIES).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .refine((v) => v.q || v.departmentId || v.category, { message: '请输入要查找的地点', path: ['q'] });

export const routeQuery = z.object({
  from: z.string().min(1).max(64).optional(),
  to: z.string().min(1).max(64),
  accessible: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
});

const rect = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

export const poi = z
  .object({
    id: z.string(),
    name: z.string(),
    category: z.enum(POI_CATEGORIES),
    floorId: z.string(),
    buildingId: z.string(),
    /** `门诊楼 3 楼`. */
    place: z.string(),
    x: z.number(),
    y: z.number(),
    departmentId: z.string().nullable(),
  })
  .meta({ id: 'Poi' });
export type PoiDto = z.output<typeof poi>;

export const poiList = z.object({ items: z.array(poi) });

export const hospitalMap = z
  .object({
    hospitalId: z.string(),
    version: z.number().int(),
    entrancePoiId: z.string(),
    buildings: z.array(z.object({ id: z.string(), name: z.string() })),
    floors: z.array(
      z.object({ id: z.string(), buildingId: z.string(), level: z.number().int(), name: z.string(), bounds: rect }),
    ),
    pois: z.array(poi),
    geometry: z.array(
      z.object({
        floorId: z.string(),
        areas: z.array(rect.extend({ kind: z.string(), label: z.string().optional() })),
        /** Walkable segments `[x1, y1, x2, y2]` on this floor. */
        corridors: z.array(z.array(z.number()).length(4)),
      }),
    ),
  })
  .meta({ id: 'HospitalMap' });
export type HospitalMapDto = z.output<typeof hospitalMap>;

export const route = z
  .object({
    from: poi,
    to: poi,
    accessible: z.boolean(),
    distanceMeters: z.number().int(),
    etaSeconds: z.number().int(),
    floors: z.array(z.string()),
    steps: z.array(
      z.object({
        instruction: z.string(),
        distanceMeters: z.number().int(),
        floor: z.string(),
        poiId: z.string().optional(),
      }),
    ),
    path: z.array(z.object({ floor: z.string(), x: z.number(), y: z.number() })),
  })
  .meta({ id: 'Route' });
export type RouteDto = z.output<typeof route>;
