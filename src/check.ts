// Checks a notebook states: a headless run fails loudly when one does not hold.

/** Raised by `check`; its message starts with "Check failed:" so a run's log shows which one. */
export class CheckFailed extends Error {
  constructor(message: string) {
    super(`Check failed: ${message}`);
    this.name = 'CheckFailed';
  }
}

/**
 * States what must be true at this point of a notebook. When it holds, returns a one-line
 * confirmation (the cell prints it); when it does not, throws, so the cell and the run fail.
 */
export function check(condition: unknown, message: string): string {
  if (!condition) throw new CheckFailed(message);
  return `✓ ${message}`;
}
