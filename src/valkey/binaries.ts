// Where the lab finds Valkey's programs: VALKEY_SERVER_BIN, VALKEY_CLI_BIN and VALKEY_BENCHMARK_BIN, else the
// ones on PATH; and the Valkey 9.1 that set-up builds on request (`npm run setup -- --valkey 9.1`).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config';

type Env = Record<string, string | undefined>;

/** The three programs the lab runs: the server, the command-line client, the benchmark. */
export type ValkeyTool = 'server' | 'cli' | 'benchmark';

/** Each program's variable and its name on PATH. */
export const VALKEY_TOOLS: Record<ValkeyTool, { variable: string; command: string }> = {
  server: { variable: 'VALKEY_SERVER_BIN', command: 'valkey-server' },
  cli: { variable: 'VALKEY_CLI_BIN', command: 'valkey-cli' },
  benchmark: { variable: 'VALKEY_BENCHMARK_BIN', command: 'valkey-benchmark' },
};

/**
 * The program to run for `tool`: its variable when set, else its name (found on PATH). A relative path in
 * the variable is taken from the project's folder, so it means the same in a script and in a notebook's kernel
 * (which runs in notebooks/).
 */
export function valkeyBinary(tool: ValkeyTool, env: Env = process.env): string {
  const { variable, command } = VALKEY_TOOLS[tool];
  const chosen = env[variable]?.trim();
  if (!chosen) return command;
  return chosen.includes('/') ? path.resolve(projectRoot(env), chosen) : chosen;
}

/** The folder set-up builds Valkey 9.1 into (git-ignored), relative to the project. */
export const VALKEY_BUILD_DIR = path.join('.lab', 'valkey-9.1');

/** A Valkey that set-up built: its programs, and what its build recorded. */
export interface ValkeyBuild {
  /** The release, e.g. `9.1.2`. */
  version: string;
  /** Debian's source package it came from, e.g. `9.1.2-1`. */
  package: string;
  /** Whether it was built with TLS (OpenSSL's headers were there). */
  tls: boolean;
  /** How long `make` took, in seconds. */
  buildSeconds: number;
  /** Absolute paths of its programs. */
  bin: Record<ValkeyTool, string>;
  /** The variables that make the lab use it (for a child process's environment). */
  env: Record<'VALKEY_SERVER_BIN' | 'VALKEY_CLI_BIN' | 'VALKEY_BENCHMARK_BIN', string>;
}

/** The Valkey 9.1 set-up built, or undefined when there is none (or it is unfinished). */
export function builtValkey(root = projectRoot()): ValkeyBuild | undefined {
  const dir = path.join(root, VALKEY_BUILD_DIR);
  const record = path.join(dir, 'build.json');
  const bin = {
    server: path.join(dir, 'bin', 'valkey-server'),
    cli: path.join(dir, 'bin', 'valkey-cli'),
    benchmark: path.join(dir, 'bin', 'valkey-benchmark'),
  };
  if (!existsSync(record) || !Object.values(bin).every((file) => existsSync(file))) return undefined;
  const built = JSON.parse(readFileSync(record, 'utf8')) as Omit<ValkeyBuild, 'bin' | 'env'>;
  return {
    ...built,
    bin,
    env: { VALKEY_SERVER_BIN: bin.server, VALKEY_CLI_BIN: bin.cli, VALKEY_BENCHMARK_BIN: bin.benchmark },
  };
}
