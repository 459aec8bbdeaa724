// What every script shares: numbered steps with timings, and one clear line (exit code 1) on failure.

import { LabError } from '../../src/errors';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const red = (s: string) => (process.stderr.isTTY ? `\x1b[31m${s}\x1b[0m` : s);

/** Runs one named step, printing `✓ name (1.2 s): detail` or letting the error through. */
export async function step<T extends string | void>(name: string, work: () => Promise<T> | T): Promise<void> {
  const started = performance.now();
  const detail = await work();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${bold('✓')} ${name} (${seconds} s)${detail ? `: ${detail}` : ''}`);
}

/**
 * Runs a script's main function. A LabError (what, where, how to fix) prints as its one line;
 * anything else prints its message, and its stack when DEBUG is set. Both exit with code 1.
 */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof LabError) {
        console.error(red(`✗ ${error.message}`));
      } else {
        console.error(red(`✗ ${error instanceof Error ? error.message : String(error)}`));
        if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
      }
      process.exit(1);
    },
  );
}
