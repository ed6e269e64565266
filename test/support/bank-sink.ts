import { createServer, IncomingMessage, Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A Standard Webhooks secret (`whsec_` + base64 of 32 random bytes). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface SinkRequest {
  headers: Record<string, string>;
  body: Record<string, unknown>;
  raw: string;
  /** the library verified the signature (against the sink's clock) */
  verified: boolean;
  /** the HTTP status answered; -1 for an answer held back past the caller's timeout */
  answered: number;
}

/**
 * A bank, in process: a real HTTP server that verifies our requests with the `standardwebhooks` library, records
 * them, answers scripted statuses (200 unless `answerNext` queued others), and sends signed callbacks to
 * `POST /callbacks/bank`. `now` is the app's Clock (the sink's time is the one the test injected: the
 * library's `verify` reads Date.now, which the sink points at that clock for the synchronous call).
 */
export class BankSink {
  readonly requests: SinkRequest[] = [];
  private readonly script: (number | { hangMs: number })[] = [];
  private server?: Server;
  url = '';
  now: () => number = () => Date.now();

  constructor(readonly secret: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
        );
        let verified = false;
        let body: Record<string, unknown> = {};
        const realNow = Date.now;
        const at = this.now(); // read first: the app's Clock itself reads Date.now
        Date.now = () => at;
        try {
          body = new Webhook(this.secret).verify(raw, headers) as Record<string, unknown>;
          verified = true;
        } catch {
          verified = false;
        } finally {
          Date.now = realNow;
        }
        const next = verified ? (this.script.shift() ?? 200) : 401;
        // a scripted { hangMs } answers 200 only after that long (longer than BANK_TIMEOUT_MS: a timeout)
        const answered = typeof next === 'number' ? next : 200;
        this.requests.push({ headers, body, raw, verified, answered: typeof next === 'number' ? next : -1 });
        const answer = () => {
          if (!res.destroyed) res.writeHead(answered, { 'content-type': 'application/json' }).end('{}');
        };
        if (typeof next === 'number') answer();
        else setTimeout(answer, next.hangMs).unref();
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', () => r()));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/stops`;
    return this;
  }

  /** The next requests are answered with these statuses (then 200 again); `{ hangMs }` answers late. */
  answerNext(...statuses: (number | { hangMs: number })[]): void {
    this.script.push(...statuses);
  }

  /** Requests of one stop (optionally of one type). */
  of(stopId: string, type?: string): SinkRequest[] {
    return this.requests.filter((r) => r.body.stopId === stopId && (!type || r.body.type === type));
  }

  /** Sends a callback signed like a bank (override the secret, timestamp or id to forge one); returns the status. */
  async callback(
    baseUrl: string,
    body: Record<string, unknown> | string,
    opts: { secret?: string; timestampMs?: number; id?: string } = {},
  ): Promise<{ status: number; id: string; body: { ok: boolean; message: string } }> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const id = opts.id ?? `cb_${randomBytes(8).toString('hex')}`;
    const at = new Date(Math.floor((opts.timestampMs ?? this.now()) / 1000) * 1000);
    const signature = new Webhook(opts.secret ?? this.secret).sign(id, at, raw);
    const res = await fetch(`${baseUrl}/callbacks/bank`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(at.getTime() / 1000),
        'webhook-signature': signature,
      },
      body: raw,
    });
    return { status: res.status, id, body: (await res.json()) as { ok: boolean; message: string } };
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
