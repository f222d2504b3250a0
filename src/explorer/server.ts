// The explorer's HTTP server: the page at /, the JSON API under /api/ (documented in
// the README's Explore section). Loopback only unless told otherwise, and then only
// requests whose Host names the server (a web page elsewhere cannot drive it
// through DNS rebinding). It keeps nothing but the running sessions. Every request
// that is not well-formed gets a 4xx with a message; a faultline bug gets a 500 and
// the server goes on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, parsePathRequest, type Explorer } from './api.js';
import { explorerPage } from './page.js';
import { Searches, jobJson } from './searches.js';

/** Request bodies: a path is small; a saved trace may be large. */
export const BODY_LIMIT = 1 << 20;
export const TRACE_LIMIT = 32 << 20;

export interface ServerOptions {
  readonly host: string;
  readonly port: number;
  /** Where internal errors are logged (stderr). */
  readonly log?: (line: string) => void;
}

export interface RunningServer {
  readonly url: string;
  readonly server: http.Server;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function hostName(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(header.trim().toLowerCase());
  return m?.[1];
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) return reject(new ApiError(413, `the request body is ${declared} bytes; at most ${limit} are accepted here`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new ApiError(413, `the request body is larger than ${limit} bytes, the most accepted here`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function jsonBody(req: http.IncomingMessage, limit = BODY_LIMIT): Promise<unknown> {
  const text = await readBody(req, limit);
  if (text.trim() === '') throw new ApiError(400, 'the request body is empty; send a JSON document');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, `the request body is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...(type.startsWith('text/html') ? { 'Content-Security-Policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'" } : {}),
  });
  res.end(text);
}

const ROUTES: Record<string, readonly string[]> = {
  '/': ['GET'],
  '/api/spec': ['GET'],
  '/api/state': ['POST'],
  '/api/actions': ['POST'],
  '/api/trace': ['POST'],
  '/api/check': ['POST'],
};

export function startServer(explorer: Explorer, options: ServerOptions): Promise<RunningServer> {
  const searches = new Searches(explorer.file);
  const loopback = LOOPBACK_NAMES.has(options.host) || options.host === '::1' || options.host.startsWith('127.');
  const page = explorerPage();

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (loopback) {
      const name = hostName(req.headers.host);
      if (name === undefined || !(LOOPBACK_NAMES.has(name) || name.startsWith('127.'))) {
        throw new ApiError(403, `this server answers only requests for localhost (the Host header says ${JSON.stringify(req.headers.host ?? '')})`);
      }
    }
    const check = /^\/api\/check\/(\d{1,9})$/.exec(url.pathname);
    if (check) {
      const id = Number(check[1]);
      if (method === 'GET') return send(res, 200, jobJson(searches.get(id)));
      if (method === 'DELETE') return send(res, 200, jobJson(searches.stop(id)));
      res.setHeader('Allow', 'GET, DELETE');
      throw new ApiError(405, `${method} is not allowed on ${url.pathname} (GET: the search's progress and result; DELETE: stop it)`);
    }
    const allowed = ROUTES[url.pathname];
    if (allowed === undefined) throw new ApiError(404, `no such page or endpoint: ${url.pathname} (the API: GET /api/spec, POST /api/state, /api/actions, /api/trace, /api/check, GET|DELETE /api/check/<id>)`);
    if (!allowed.includes(method)) {
      res.setHeader('Allow', allowed.join(', '));
      throw new ApiError(405, `${method} is not allowed on ${url.pathname}; use ${allowed.join(' or ')}`);
    }
    switch (url.pathname) {
      case '/':
        return send(res, 200, page, 'text/html; charset=utf-8');
      case '/api/spec':
        return send(res, 200, explorer.specInfo());
      case '/api/state':
        return send(res, 200, explorer.state(parsePathRequest(await jsonBody(req))));
      case '/api/actions':
        return send(res, 200, explorer.actions(parsePathRequest(await jsonBody(req))));
      case '/api/trace':
        return send(res, 200, explorer.loadTrace(await jsonBody(req, TRACE_LIMIT)));
      case '/api/check': {
        const body = parsePathRequest(await jsonBody(req));
        // Checked here, so a bad request is a 400 now rather than a failed search later.
        const walked = explorer.compiled(body.params, body.faults).session;
        if (body.init >= walked.initialCount) throw new ApiError(400, `"init" is ${body.init}, but the spec has ${walked.initialCount} initial state(s)`);
        const w = walked.walk(body.init, body.path);
        if (w.stopped) throw new ApiError(409, `step ${w.stopped.step} of the path (${w.stopped.key}) is not enabled; search from a path that fits`);
        if (w.error) throw new ApiError(409, `the spec throws at step ${w.error.step} of the path: ${w.error.message}`);
        return send(res, 202, jobJson(searches.start({ ...body, at: undefined })));
      }
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy();
      if (e instanceof ApiError) {
        const reply = () => send(res, e.status, { error: { status: e.status, message: e.message } });
        if (e.status !== 413) return reply();
        res.setHeader('Connection', 'close');
        if (req.complete) return reply();
        // Read the rest of the body, discarding it, before answering: a client still
        // sending when the socket closes sees a reset instead of the 413 (seen under load).
        let drained = 0;
        req.on('data', (c: Buffer) => {
          drained += c.length;
          if (drained > 64 * BODY_LIMIT) req.destroy();
        });
        req.once('end', reply);
        req.resume();
        return;
      }
      options.log?.(`faultline explore: internal error (a bug in faultline, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      send(res, 500, { error: { status: 500, message: `internal error (a bug in faultline): ${e instanceof Error ? e.message : String(e)}` } });
    });
  });
  // Malformed HTTP gets a 400 from Node; a slow client does not hold the server.
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  server.requestTimeout = 30_000;
  // Node's 5 s default closes an idle connection that a client may be about to reuse
  // for a POST, which then fails ("other side closed"; seen in the tests): keep it longer.
  server.keepAliveTimeout = 60_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      searches.warm();
      const a = server.address() as AddressInfo;
      const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve({
        url: `http://${host}:${a.port}/`,
        server,
        close: async () => {
          await searches.close();
          await new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          });
        },
      });
    });
  });
}
