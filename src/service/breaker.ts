// A circuit breaker for the cache: after a run of failures it stops asking Valkey for a while, so requests stop
// paying a full timeout each while the server is down, and one probe at a time asks again after a cool-down.

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  /** Consecutive cache failures that open the breaker. */
  failuresToOpen: number;
  /** How long an open breaker waits before one request may probe Valkey again, in milliseconds. */
  coolDownMs: number;
}

export interface CircuitBreaker {
  readonly state: BreakerState;
  /** May this request ask Valkey? (Open: no; half-open: only the one probe.) */
  allow(now?: number): boolean;
  /** The request that was allowed got an answer from Valkey. */
  succeeded(): void;
  /** The request that was allowed saw Valkey fail (an error or a timeout). */
  failed(now?: number): void;
  /** How many times it opened so far. */
  readonly opened: number;
}

/**
 * The whole decision, in three states: closed counts consecutive failures and opens at `failuresToOpen`; open
 * refuses every request until `coolDownMs` have passed, then lets exactly one through (half-open); that probe's
 * answer closes the breaker, its failure opens it again for another cool-down.
 */
export function createBreaker(settings: BreakerSettings): CircuitBreaker {
  let state: BreakerState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let opened = 0;
  const open = (now: number) => {
    state = 'open';
    openedAt = now;
    opened++;
  };
  return {
    get state() {
      return state;
    },
    get opened() {
      return opened;
    },
    allow(now = Date.now()) {
      if (state === 'closed') return true;
      if (state === 'open' && now - openedAt >= settings.coolDownMs) {
        state = 'half-open';
        return true; // the probe
      }
      return false;
    },
    succeeded() {
      state = 'closed';
      failures = 0;
    },
    failed(now = Date.now()) {
      if (state === 'half-open') return open(now);
      failures++;
      if (state === 'closed' && failures >= settings.failuresToOpen) open(now);
    },
  };
}
