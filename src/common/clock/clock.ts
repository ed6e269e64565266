/**
 * The process clock of the rules that run against time (case SLAs, payment-stop deadlines). Production reads the
 * system clock; CLOCK_START (tests, demos; refused in production) starts it at another instant, and tests move
 * it with {@link Clock.advance} instead of sleeping. Timers that must survive a process (a stop's expiry) are
 * stored deadlines compared with this clock, never in-memory timeouts alone.
 */
export class Clock {
  private offsetMs: number;

  constructor(start?: Date) {
    this.offsetMs = start ? start.getTime() - Date.now() : 0;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the clock forward (tests): later reads are `ms` later. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
  }
}
