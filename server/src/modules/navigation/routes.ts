import { defineRoute } from '../../http/route';
import type { NavigationService } from './service';
import { hospitalIdParam, hospitalMap, poiList, poiQuery, route, routeQuery } from './schemas';

const tags = ['navigation'];

/** Indoor navigation (院内导航): public, like the catalog; no patient data is involved. */
export function navigationRoutes(service: NavigationService) {
  return [
    defineRoute({
      method: 'get',
      path: '/hospitals/:id/map',
      operationId: 'getHospitalMap',
      summary: "A hospital's indoor map: buildings, floors, POIs and what to draw (ETag; 304 when unchanged)",
      tags,
      access: 'public',
      params: hospitalIdParam,
      response: hospitalMap,
      errors: [404, 503],
      handler: async ({ params, ctx }) => {
        const { map, etag } = await service.getMap(params.id);
        ctx.set('ETag', etag);
        ctx.set('Cache-Control', 'public, max-age=300, must-revalidate');
        return map;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/hospitals/:id/pois',
      operationId: 'searchPois',
      summary: 'Search points of interest by name, synonym (化验, 抽血) or department',
      tags,
      access: 'public',
      params: hospitalIdParam,
      query: poiQuery,
      response: poiList,
      errors: [404, 503],
      handler: ({ params, query }) => service.searchPois(params.id, query),
    }),
    defineRoute({
      method: 'get',
      path: '/hospitals/:id/route',
      operationId: 'getRoute',
      summary:
        'The quickest walking route between two POIs (from the main entrance by default); accessible = elevators only',
      tags,
      access: 'public',
      params: hospitalIdParam,
      query: routeQuery,
      response: route,
      errors: [404, 503],
      handler: ({ params, query }) => service.route(params.id, query),
    }),
  ];
}
