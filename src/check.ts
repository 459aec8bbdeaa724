// Checks a notebook states: a headless run fails loudly when one does not hold.

import { inKernel } from './show/display';

/** Raised by `check`; its message starts with "Check failed:" so a run's log shows which one. */
export class CheckFailed extends Error {
  constructor(message: string) {
    super(`Check failed: ${message}`);
    this.name = 'CheckFailed';
  }
}

/**
 * States what must be true at this point of a notebook. When it does not hold, throws CheckFailed,
 * so the cell and the run fail. When it holds, the confirmation `✓ message` shows where the check is
 * made: inside the kernel it is printed at once (a cell shows only its last value, so a cell with
 * several checks would otherwise show one), and nothing is returned; elsewhere it is returned, so
 * scripts and tests can use it.
 */
export function check(condition: unknown, message: string): string | undefined {
  if (!condition) throw new CheckFailed(message);
  const confirmation = `✓ ${message}`;
  if (!inKernel()) return confirmation;
  console.log(confirmation);
  return undefined;
}
