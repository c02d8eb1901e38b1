import pino from 'pino';

/**
 * Paths removed from every log line. Personal data (ID numbers, phones),
 * credentials and clinical result values must never reach the logs.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.idNumber',
  '*.phone',
  '*.password',
  '*.code',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.session_key',
  '*.value',
  '*.result',
  'idNumber',
  'phone',
  'token',
];

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'yilian' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
