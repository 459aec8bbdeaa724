// Notebook 09's exercise: the timeout and circuit breaker settings that keep a Valkey outage within a latency
// budget. Graded on a real private Valkey that the grader freezes (SIGSTOP), then kills and restarts.

import type { Lab } from '../lab';
import { airportByIata } from '../queries/part1-fundamentals';
import { runGuideQuery } from '../queries';
import { createBreaker } from '../service/breaker';
import { serviceValkey, type ServiceValkey } from '../service/control';
import { createResilientRead, type ResilienceSettings, type ServiceOutcome } from '../service/resilient-read';
import { connectValkeyUrl, type Valkey } from '../valkey/client';
import { grade, shown, type Grade } from './grade';

const RAN_INTO_ERROR = 'read the error above, fix your cell, run it, then run this cell again';

/** The budget Your turn 9.1 states: what a Valkey outage may cost the service. */
export const OUTAGE_BUDGET = {
  /** No request waits longer than this, outage or not (ms). */
  maxRequestMs: 300,
  /** At most this share of the requests made while Valkey is frozen may wait for it. */
  maxWaitingShare: 0.1,
  /** Once Valkey answers again, reads hit the cache again within this long (ms). */
  recoverWithinMs: 2_000,
  /** How long the grader freezes Valkey (ms), with this many callers reading in a loop meanwhile. */
  freezeMs: 2_000,
  callers: 4,
} as const;

interface Timed {
  ms: number;
  outcome: ServiceOutcome;
  right: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Grades "Your turn 9.1": with the learner's `{ timeoutMs, breaker }`, reads of JFK through the service's resilient
 * cache-aside on a private Valkey: they hit while it is healthy; while it is frozen every request still gets the
 * database's answer within the budget and few of them wait for Valkey; after it thaws they hit again within 2 s;
 * while it is killed they are answered at once, and after its restart the cache serves again.
 */
export async function gradeOutageBudget(lab: Lab, settingsOf: () => ResilienceSettings): Promise<Grade> {
  let cache: ServiceValkey | undefined;
  let client: Valkey | undefined;
  return grade(
    { id: 'outage-budget', number: '9.1' },
    async (g) => {
      const settings = await g.attempt('your settings', settingsOf, RAN_INTO_ERROR);
      const timeoutMs = Number(settings?.timeoutMs);
      g.expect(Number.isFinite(timeoutMs) && timeoutMs >= 10, 'the timeout leaves a healthy server room (≥ 10 ms)', {
        expected: 'timeoutMs: a number of milliseconds, at least 10',
        seen: shown(settings),
        hint: 'a loaded but healthy Valkey answers in a millisecond or two; a timeout below 10 ms would fail it',
      });
      cache = await serviceValkey(lab);
      client = await connectValkeyUrl(cache.secretUrl, {
        keyPrefix: 'grade:',
        commandTimeoutMs: timeoutMs,
        connectTimeoutMs: 1_000,
      });
      client.on('error', () => undefined);
      const breaker = settings.breaker ? createBreaker(settings.breaker) : undefined;
      const read = createResilientRead(client, breaker);
      const truth = JSON.stringify((await runGuideQuery(lab.sql, airportByIata, { iata: 'JFK' })).rows);
      const once = async (): Promise<Timed> => {
        const started = performance.now();
        const r = await read(
          'airport:JFK',
          60,
          async () => (await runGuideQuery(lab.sql, airportByIata, { iata: 'JFK' })).rows,
        );
        return { ms: performance.now() - started, outcome: r.outcome, right: JSON.stringify(r.value) === truth };
      };

      const healthy: Timed[] = [];
      for (let i = 0; i < 20; i++) healthy.push(await once());
      const hits = healthy.filter((t) => t.outcome === 'hit').length;
      g.expect(hits >= 17, 'while Valkey is healthy, reads hit the cache', {
        expected: 'at least 17 hits in 20 reads',
        seen: `${hits} hits (${[...new Set(healthy.map((t) => t.outcome))].join(', ')})`,
        hint: 'the timeout bounds every call: too short, and a healthy server fails it',
      });

      // Frozen: the connection stays open, nothing answers; only the timeout ends a call.
      const during: Timed[] = [];
      let frozen = true;
      cache.freeze();
      const thawAt = Date.now() + OUTAGE_BUDGET.freezeMs;
      const callers = Array.from({ length: OUTAGE_BUDGET.callers }, async () => {
        while (Date.now() < thawAt) during.push(await once());
      });
      await Promise.all(callers);
      cache.thaw();
      frozen = false;
      const slowest = Math.max(...during.map((t) => t.ms));
      g.expect(
        during.every((t) => t.right),
        'while Valkey is frozen, every request gets the database’s answer',
        {
          expected: 'JFK’s row on every read',
          seen: `${during.filter((t) => !t.right).length} of ${during.length} wrong`,
          hint: 'on a cache error, answer from the database',
        },
      );
      g.expect(slowest <= OUTAGE_BUDGET.maxRequestMs, `no request waits past ${OUTAGE_BUDGET.maxRequestMs} ms`, {
        expected: `every request within ${OUTAGE_BUDGET.maxRequestMs} ms`,
        seen: `the slowest took ${Math.round(slowest)} ms (timeout ${timeoutMs} ms)`,
        hint: 'a request waits for the frozen server as long as the timeout, then asks the database: keep the timeout well below the budget',
      });
      const waited = during.filter((t) => t.outcome === 'cache-error').length;
      g.expect(
        waited <= OUTAGE_BUDGET.maxWaitingShare * during.length,
        `few requests wait for the frozen server (at most ${100 * OUTAGE_BUDGET.maxWaitingShare}%)`,
        {
          expected: `at most ${Math.floor(OUTAGE_BUDGET.maxWaitingShare * during.length)} of ${during.length} requests paying the timeout`,
          seen: `${waited} did`,
          hint: 'a breaker that opens after a few consecutive failures sends the rest straight to the database',
        },
      );

      const recovered = async () => {
        const deadline = Date.now() + OUTAGE_BUDGET.recoverWithinMs;
        const seen: ServiceOutcome[] = [];
        while (Date.now() < deadline) {
          const t = await once();
          seen.push(t.outcome);
          if (t.outcome === 'hit' || t.outcome === 'miss') return { ok: true, seen };
          await sleep(25);
        }
        return { ok: false, seen };
      };
      const afterThaw = await recovered();
      g.expect(
        afterThaw.ok,
        `within ${OUTAGE_BUDGET.recoverWithinMs / 1000} s of Valkey answering again, reads use the cache again`,
        {
          expected: 'a read that hits (or misses and stores) the cache',
          seen: `${afterThaw.seen.length} reads, all ${[...new Set(afterThaw.seen)].join(', ')}`,
          hint: 'an open breaker lets a probe through after its cool-down: keep the cool-down well under the budget',
        },
      );

      await cache.kill();
      const killed: Timed[] = [];
      for (let i = 0; i < 40; i++) killed.push(await once());
      const slowestKilled = Math.max(...killed.map((t) => t.ms));
      g.expect(
        killed.every((t) => t.right) && slowestKilled <= OUTAGE_BUDGET.maxRequestMs,
        'while Valkey is killed, requests are answered from the database within the budget',
        {
          expected: `40 right answers, each within ${OUTAGE_BUDGET.maxRequestMs} ms`,
          seen: `${killed.filter((t) => t.right).length} right, the slowest ${Math.round(slowestKilled)} ms`,
          hint: 'a refused connection fails at once; the timeout bounds the rest',
        },
      );
      await cache.restart();
      const afterRestart = await recovered();
      g.expect(afterRestart.ok, 'after Valkey restarts, reads use the cache again', {
        expected: 'a read that hits or misses and stores',
        seen: `${afterRestart.seen.length} reads, all ${[...new Set(afterRestart.seen)].join(', ')}`,
        hint: 'the client reconnects by itself; the breaker must let a probe through',
      });
      void frozen;
    },
    async () => {
      client?.disconnect();
      await cache?.stop();
    },
  );
}
