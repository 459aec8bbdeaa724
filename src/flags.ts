// Command-line flags of the lab's own processes (the write-behind drill and worker, notebook 09's service).

import { ENGINE_KINDS, type EngineKind } from './config';
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

/** The engine a flag names (`--engine mysql|postgres`), or the configured one when the flag is absent. */
export function engineFlag(text: string | undefined, configured: EngineKind, usage: string): EngineKind {
  const engine = (text ?? configured) as EngineKind;
  if (!ENGINE_KINDS.includes(engine))
    throw new LabError({ what: `--engine "${engine}" is not mysql or postgres`, fix: usage });
  return engine;
}
