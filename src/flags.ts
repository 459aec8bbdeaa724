// Command-line flags of the lab's own processes (the write-behind drill and worker, notebook 09's service).

import { LabError } from './errors';

/**
 * The whole number a flag gives (`--name N`), undefined when the flag is absent; anything else, or a number
 * below `min`, is a LabError that shows the process's usage.
 */
export function wholeNumberFlag(text: string | undefined, name: string, usage: string, min = 0): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new LabError({ what: `--${name} "${text}" is not a whole number ≥ ${min}`, fix: usage });
  return n;
}
