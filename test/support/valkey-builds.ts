// The Valkey releases the tests run against: the lab's own (Debian's 8.0, or VALKEY_*_BIN's), and the 9.1 that
// set-up builds on request (`npm run setup -- --valkey 9.1`). Without that build its cases are skipped, saying
// why; in CI, whose .ci/run builds it first, a missing build fails the run instead.

import { execFileSync } from 'node:child_process';
import { describe, it } from 'vitest';
import { builtValkey, valkeyBinary, VALKEY_BUILD_DIR } from '../../src/internal';

/** One Valkey release with its programs, as a test starts it. */
export interface ValkeyUnderTest {
  /** e.g. `Valkey 9.1.2`. */
  label: string;
  version: string;
  /** Major.minor, e.g. `9.1`. */
  line: string;
  server: string;
  cli: string;
  benchmark: string;
}

/** A release the tests want: there, or skipped with the reason. */
type Wanted = { valkey: ValkeyUnderTest } | { label: string; skipped: string };

function versionOf(server: string): string | undefined {
  try {
    return /\bv=(\d+\.\d+\.\d+)/.exec(execFileSync(server, ['--version'], { encoding: 'utf8' }))?.[1];
  } catch {
    return undefined;
  }
}

function underTest(server: string, cli: string, benchmark: string): ValkeyUnderTest | undefined {
  const version = versionOf(server);
  if (!version) return undefined;
  return {
    label: `Valkey ${version}`,
    version,
    line: version.split('.').slice(0, 2).join('.'),
    server,
    cli,
    benchmark,
  };
}

function wantedReleases(): Wanted[] {
  const labs = underTest(valkeyBinary('server'), valkeyBinary('cli'), valkeyBinary('benchmark'));
  const wanted: Wanted[] = [
    labs ? { valkey: labs } : { label: "the lab's Valkey", skipped: `${valkeyBinary('server')} does not run` },
  ];
  const build = builtValkey();
  const built = build && underTest(build.bin.server, build.bin.cli, build.bin.benchmark);
  if (built && built.version !== labs?.version) wanted.push({ valkey: built });
  else if (!built) {
    const skipped = `no Valkey 9.1 build in ${VALKEY_BUILD_DIR} (npm run setup -- --valkey 9.1 makes one)`;
    if (process.env.CI) throw new Error(`CI runs every Valkey test on 9.1 as well, but there is ${skipped}.`);
    wanted.push({ label: 'Valkey 9.1', skipped });
  }
  return wanted;
}

/** The releases under test, the lab's own first; each either there or skipped with the reason. */
export const VALKEY_RELEASES: readonly Wanted[] = wantedReleases();

/** The releases that are there. */
export const VALKEYS: readonly ValkeyUnderTest[] = VALKEY_RELEASES.flatMap((w) => ('valkey' in w ? [w.valkey] : []));

let toldSkips = false;

/**
 * Declares the suite `title` once per release, named after it (`Valkey 9.1.2: title`); a release that is not
 * there gets one skipped test saying why (also printed once per test file).
 */
export function describeEachValkey(title: string, body: (valkey: ValkeyUnderTest) => void): void {
  for (const wanted of VALKEY_RELEASES) {
    if ('valkey' in wanted) {
      describe(`${wanted.valkey.label}: ${title}`, () => body(wanted.valkey));
      continue;
    }
    if (!toldSkips) console.warn(`Skipping the ${wanted.label} cases: ${wanted.skipped}.`);
    toldSkips = true;
    describe(`${wanted.label}: ${title}`, () => it.skip(`skipped: ${wanted.skipped}`, () => undefined));
  }
}
