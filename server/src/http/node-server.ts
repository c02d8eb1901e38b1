import http from 'node:http';
import type Koa from 'koa';

const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'HEADERS_TOO_LARGE', message: '请求头过大' },
};
const MALFORMED = { status: 400, code: 'MALFORMED_REQUEST', message: '请求格式有误，请检查后重试' };

/**
 * The Node HTTP server for the app. Requests Node itself refuses before Koa
 * sees them (headers too large, broken HTTP) still get the documented error
 * body instead of an empty one.
 */
export function createHttpServer(app: Koa): http.Server {
  const server = http.createServer(app.callback());
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (err as { code?: string }).code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const e = CLIENT_ERRORS[err.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify({ error: { code: e.code, message: e.message } });
    socket.end(
      `HTTP/1.1 ${e.status} ${http.STATUS_CODES[e.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
