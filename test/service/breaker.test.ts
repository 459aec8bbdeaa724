// The circuit breaker's three states, driven by a clock the test holds.

import { describe, expect, it } from 'vitest';
import { createBreaker } from '../../src/service/breaker';

describe('the circuit breaker', () => {
  it('opens after the stated number of consecutive failures, not before', () => {
    const breaker = createBreaker({ failuresToOpen: 3, coolDownMs: 500 });
    breaker.failed(0);
    breaker.failed(1);
    expect(breaker.allow(2)).toBe(true);
    breaker.succeeded(); // a success in between starts the count again
    breaker.failed(3);
    breaker.failed(4);
    expect(breaker.state).toBe('closed');
    breaker.failed(5);
    expect(breaker.state).toBe('open');
    expect(breaker.allow(6)).toBe(false);
  });

  it('lets exactly one probe through after the cool-down, and closes when it succeeds', () => {
    const breaker = createBreaker({ failuresToOpen: 1, coolDownMs: 500 });
    breaker.failed(1_000);
    expect(breaker.allow(1_499)).toBe(false);
    expect(breaker.allow(1_500)).toBe(true);
    expect(breaker.state).toBe('half-open');
    expect(breaker.allow(1_501)).toBe(false); // the others wait for the probe
    breaker.succeeded();
    expect(breaker.state).toBe('closed');
    expect(breaker.allow(1_502)).toBe(true);
  });

  it('opens again for a whole cool-down when the probe fails', () => {
    const breaker = createBreaker({ failuresToOpen: 2, coolDownMs: 100 });
    breaker.failed(0);
    breaker.failed(0);
    expect(breaker.allow(100)).toBe(true);
    breaker.failed(150);
    expect(breaker.state).toBe('open');
    expect(breaker.allow(249)).toBe(false);
    expect(breaker.allow(250)).toBe(true);
    expect(breaker.opened).toBe(2);
  });
});
