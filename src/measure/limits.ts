// Checks for the counts and durations every workload takes: a bad one fails at once with a fix.

import { LabError } from '../errors';

export function positiveInteger(value: number, name: string, max: number, example: string): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new LabError({
      what: `${name}=${value} is not a whole number between 1 and ${max.toLocaleString('en-US')}`,
      fix: `Use ${example}.`,
    });
  }
}

export function positiveNumber(value: number, name: string): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new LabError({ what: `${name}=${value} is not a positive number of milliseconds`, fix: 'Use e.g. 2000.' });
  }
}
