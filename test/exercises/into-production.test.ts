// Notebook 09's grader, on a private Valkey it freezes, thaws, kills and restarts: the shipped stub is not done,
// the reference solution passes, and plausible wrong settings fail at the right check with the right hint.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeOutageBudget } from '../../src/exercises/into-production';
import { openLab, type Lab } from '../../src/lab';
import type { ResilienceSettings } from '../../src/service';
import { cellFunction, referenceSolution, shippedStub } from '../support/exercises';

let lab: Lab;
const fromCell = (source: string) => cellFunction<() => ResilienceSettings>(source, 'outageSettings', lab);
const settings = (value: ResilienceSettings) => () => value;

beforeAll(async () => {
  lab = await openLab();
});

afterAll(async () => {
  await lab.close();
});

describe('Your turn 9.1, timeout and breaker', () => {
  it('says the shipped stub is not done', async () => {
    const result = await gradeOutageBudget(lab, fromCell(shippedStub('09', 'outage-budget')));
    expect(result.status).toBe('not-done');
    expect(result.passed).toEqual([]);
  });

  it('passes the reference solution', async () => {
    const result = await gradeOutageBudget(lab, fromCell(referenceSolution('09', 'outage-budget')));
    expect(result.failure).toBeUndefined();
    expect(result.passed).toHaveLength(8);
  });

  it('fails the client’s default 2 s timeout: a request waits for the frozen server past the budget', async () => {
    const result = await gradeOutageBudget(
      lab,
      settings({ timeoutMs: 2_000, breaker: { failuresToOpen: 3, coolDownMs: 500 } }),
    );
    expect(result.failure).toMatchObject({ check: 'no request waits past 300 ms' });
    expect(result.failure!.hint).toMatch(/timeout well below the budget/);
  });

  it('fails a timeout without a breaker: every request pays it while the server is frozen', async () => {
    const result = await gradeOutageBudget(lab, settings({ timeoutMs: 100 }));
    expect(result.passed).toContain('no request waits past 300 ms');
    expect(result.failure?.check).toMatch(/^few requests wait for the frozen server/);
    expect(result.failure!.hint).toMatch(/breaker that opens after a few consecutive failures/);
  });

  it('fails a cool-down longer than the budget: the cache stays unused after Valkey came back', async () => {
    const result = await gradeOutageBudget(
      lab,
      settings({ timeoutMs: 100, breaker: { failuresToOpen: 3, coolDownMs: 60_000 } }),
    );
    expect(result.failure?.check).toMatch(/reads use the cache again$/);
    expect(result.failure!.hint).toMatch(/cool-down/);
  });

  it('fails a timeout too short for a healthy server', async () => {
    const result = await gradeOutageBudget(
      lab,
      settings({ timeoutMs: 1, breaker: { failuresToOpen: 3, coolDownMs: 500 } }),
    );
    expect(result.failure).toMatchObject({ check: 'the timeout leaves a healthy server room (≥ 10 ms)' });
  });
});
