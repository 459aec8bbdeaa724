// Mistakes a learner can make in a cell end in one LabError line: what, where, and what to do.

import { describe, expect, it } from 'vitest';
import { LabError } from '../src/errors';
import { assertIdentifier } from '../src/db/engine';
import { paramsFor, seatAvailability, userLastFlights } from '../src/queries';
import { cacheKey } from '../src/valkey/keys';

function thrown(fn: () => unknown): LabError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LabError);
    return error as LabError;
  }
  throw new Error('expected a LabError');
}

describe('one-line errors', () => {
  it('a guide query without a value for one of its parameters', () => {
    const error = thrown(() => paramsFor(userLastFlights, 'mysql', { passengerId: undefined }));
    expect(error.message).toMatch(/^userLastFlights needs a value for "passengerId" at Part 3, Step 14\. Pass it/);
    expect(error.message).not.toContain('\n');
  });

  it('a cache key part with a space', () => {
    const error = thrown(() => cacheKey('airport', 'New York'));
    expect(error.what).toBe('Key part "New York" is empty or has a space');
    expect(error.where).toBe('cacheKey("airport", "New York")');
    expect(error.fix).toMatch(/without spaces/);
  });

  it('an identifier that is not one', () => {
    expect(thrown(() => assertIdentifier('airport; DROP TABLE airport')).fix).toMatch(/letters, digits and _/);
  });

  it('the guide query still binds its defaults when nothing is missing', () => {
    expect(paramsFor(seatAvailability, 'postgres')).toEqual([seatAvailability.defaults.flightId]);
  });
});
