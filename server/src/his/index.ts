export * from './types';
export { HttpHisClient, type HisClientOptions } from './http-client';
