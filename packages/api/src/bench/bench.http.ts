import { Agent, request } from 'node:http';

export interface HttpResponse {
  status: number;
  body: Buffer;
}

/** A keep-alive HTTP/1.1 client for one loopback origin; lighter on the CPU than fetch. */
export class HttpClient {
  readonly #agent: Agent;
  readonly #url: URL;
  readonly #timeoutMs: number;
  #token: string | undefined;

  constructor(baseUrl: string, opts: { maxSockets?: number; timeoutMs?: number } = {}) {
    this.#url = new URL(baseUrl);
    this.#agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 16 });
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
  }

  set token(value: string) {
    this.#token = value;
  }

  send(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = {};
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    return new Promise((resolve, reject) => {
      const req = request(
        { agent: this.#agent, hostname: this.#url.hostname, port: this.#url.port, method, path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.setTimeout(this.#timeoutMs, () => req.destroy(new Error(`no answer within ${this.#timeoutMs} ms: ${method} ${path}`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  get(path: string): Promise<HttpResponse> {
    return this.send('GET', path);
  }

  /** `send` for one-off requests: tried again once on a fresh socket when a kept-alive one turns out closed. */
  sendAfterPause(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    // A kept-alive socket the server closed while the bench was busy (a set-based preparation step
    // blocks this thread) fails at once, before the server saw anything: try again on a fresh socket.
    return this.send(method, path, body).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || /socket hang up/.test(e.message)) return this.send(method, path, body);
      throw e;
    });
  }

  /** JSON in and out; throws with the body when the status is not 2xx (setup steps only). */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.sendAfterPause(method, path, body);
    const text = res.body.toString('utf8');
    if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }

  close(): void {
    this.#agent.destroy();
  }
}

export interface LoadResult {
  /** Latency of each completed request in milliseconds, sorted ascending. */
  samples: number[];
  errors: number;
  /** What the errors were: `HTTP 500`, a network error's message. */
  errorKinds: Map<string, number>;
  /** Wall time of the whole run, for the request rate. */
  elapsedMs: number;
}

/** A request other than a GET on the load's client: a write, or one sent as another user. */
export interface LoadRequest {
  method: string;
  path: string;
  body?: unknown;
  /** The client to send with instead of the load's (another token). */
  client?: HttpClient;
}

/**
 * Sends up to `count` requests with `concurrency` in flight, stopping early after `maxMs`. `next` gets
 * the number of the in-flight slot asking (0 to concurrency - 1), so that each slot can act as a user
 * of its own; a path alone is a GET. Each request's latency runs from the call to the last byte of the body.
 */
export async function runLoad(opts: {
  client: HttpClient;
  next: (slot: number) => string | LoadRequest;
  observe?: (response: HttpResponse) => void;
  count: number;
  concurrency: number;
  maxMs: number;
}): Promise<LoadResult> {
  const samples: number[] = [];
  let errors = 0;
  const errorKinds = new Map<string, number>();
  const fail = (kind: string) => {
    errors++;
    errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
  };
  let issued = 0;
  const started = performance.now();
  const deadline = started + opts.maxMs;
  const worker = async (slot: number) => {
    while (issued < opts.count && performance.now() < deadline) {
      issued++;
      const next = opts.next(slot);
      const request = typeof next === 'string' ? { method: 'GET', path: next } : next;
      const t0 = performance.now();
      try {
        const res = await (request.client ?? opts.client).send(request.method, request.path, request.body);
        const ms = performance.now() - t0;
        if (res.status >= 200 && res.status < 300) {
          samples.push(ms);
          opts.observe?.(res);
        } else {
          fail(`HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 120)}`);
        }
      } catch (e) {
        fail(e instanceof Error ? e.message.replace(/: [A-Z]+ \/.*/, '') : String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, (_, slot) => worker(slot)));
  const elapsedMs = performance.now() - started;
  samples.sort((a, b) => a - b);
  return { samples, errors, errorKinds, elapsedMs };
}

/** The value below which `p` percent of the sorted samples fall (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}
