import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AuthError } from './auth.errors';
import { AuthenticationService } from './authentication.service';
import { StaffPrincipal } from './principal';

/** How often the principals of open streams are read again: a change reaches every stream within this. */
export const STREAM_RECHECK_MS = 3_000;

/**
 * Decides whether an open stream may go on with the principal as it is now: throws an AuthError to end it
 * (a role or a unit the stream's filter needs is gone).
 */
export type StreamCheck = (p: StaffPrincipal) => void | Promise<void>;

/** The principal behind one open stream, kept current. */
export interface LivePrincipal {
  /** The principal as last read (at most STREAM_RECHECK_MS old). */
  readonly current: StaffPrincipal;
  /** Resolves with the reason when the stream must end (user disabled or gone, session revoked, check failed). */
  readonly ended: Promise<AuthError>;
  /** The stream closed: stop watching. */
  stop(): void;
}

class Watch implements LivePrincipal {
  current: StaffPrincipal;
  readonly ended: Promise<AuthError>;
  private end!: (e: AuthError) => void;
  done = false;

  constructor(
    p: StaffPrincipal,
    private readonly check: StreamCheck,
    readonly stop: () => void,
  ) {
    this.current = p;
    this.ended = new Promise((resolve) => (this.end = resolve));
  }

  async update(fresh: StaffPrincipal | AuthError): Promise<void> {
    if (this.done) return;
    try {
      if (fresh instanceof AuthError) throw fresh;
      await this.check(fresh);
      this.current = fresh;
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      this.done = true;
      this.stop();
      this.end(e);
    }
  }
}

/**
 * Open subscriptions outlive the operation that authenticated them: a user disabled, given other roles or
 * units, or logged out must not keep receiving what they may no longer see. One timer per process re-reads,
 * every STREAM_RECHECK_MS, the session (Redis) and the user (by `_id`) of every open stream — once per
 * session, however many streams it has open — and hands the result to each stream, which re-scopes itself or
 * ends. Costs one Redis EXISTS and one primary-key read per signed-in session per period, nothing when no
 * stream is open.
 */
@Injectable()
export class LivePrincipals implements OnModuleDestroy {
  private readonly logger = new Logger(LivePrincipals.name);
  private readonly watches = new Set<Watch>();
  private timer?: NodeJS.Timeout;
  private ticking = false;

  constructor(private readonly authentication: AuthenticationService) {}

  watch(principal: StaffPrincipal, check: StreamCheck): LivePrincipal {
    const w: Watch = new Watch(principal, check, () => {
      this.watches.delete(w);
      if (this.watches.size === 0) this.stopTimer();
    });
    this.watches.add(w);
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), STREAM_RECHECK_MS);
      this.timer.unref();
    }
    return w;
  }

  /** Re-reads every watched session now (the timer's work). */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const bySession = new Map<string, Watch[]>();
      for (const w of this.watches) {
        const list = bySession.get(w.current.sessionId) ?? [];
        list.push(w);
        bySession.set(w.current.sessionId, list);
      }
      await Promise.all(
        [...bySession.values()].map(async (ws) => {
          let fresh: StaffPrincipal | AuthError;
          try {
            fresh = await this.authentication.refresh(ws[0].current);
          } catch (e) {
            // the store or Redis failed: keep the streams as they are and try again next period
            if (!(e instanceof AuthError)) return this.logger.warn({ err: e }, 'stream recheck failed');
            fresh = e;
          }
          await Promise.all(ws.map((w) => w.update(fresh)));
        }),
      );
    } catch (e) {
      this.logger.warn({ err: e }, 'stream recheck failed');
    } finally {
      this.ticking = false;
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  onModuleDestroy(): void {
    this.stopTimer();
  }
}
