import { createServer, type Server } from 'node:http';
import { buildConsole, consoleSecurityHeaders } from '../../console/build';
import type { Role } from '../../lambda/config/system';

export interface ConsoleIdentity {
  readonly subject: string;
  readonly role: Role;
  readonly token: string;
}

export interface LocalConsole {
  readonly url: string;
  /** The origins the local API must answer CORS for (the console's, by IP and by name). */
  readonly origins: readonly string[];
  /** The bundle served, for the banner's figures. */
  readonly size: { readonly raw: number; readonly gzip: number };
  stop(): Promise<void>;
}

/**
 * Serves the console locally, as CloudFront does on AWS (same files, same security headers), with
 * a `config.json` that points at the local API and offers the dev identities' tokens to sign in
 * with. Only this local server ever serves tokens: the stack's config.json names Cognito instead.
 */
export async function startConsoleServer(options: { port: number; apiUrl: string; identities: readonly ConsoleIdentity[] }): Promise<LocalConsole> {
  const bundle = buildConsole();
  const config = Buffer.from(JSON.stringify({ apiUrl: options.apiUrl, auth: { mode: 'dev', identities: options.identities } }));
  const headers = consoleSecurityHeaders([options.apiUrl]);
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/config.json') {
      response.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(config);
      return;
    }
    const file = bundle.files.get(path === '/' ? '/index.html' : path);
    if (!file) {
      response.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    response
      .writeHead(200, { ...headers, 'content-type': file.contentType, 'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache' })
      .end(request.method === 'HEAD' ? undefined : file.body);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    origins: [`http://127.0.0.1:${port}`, `http://localhost:${port}`],
    size: bundle.size,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
