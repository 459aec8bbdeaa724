// What the Valkey behind a client can do: the newer commands the lab uses where a server has them, and the
// fallback it takes where it has not. Asked of the server once per client; every choice of command is made here.

import type { ValkeyClient } from './client';
import { isCluster, primaries, valkeyServerInfo } from './client';
import type { CacheServerInfo } from './info';

/** The newer features the lab can use, each with the older way it falls back to. */
export type ValkeyFeature = 'setIfEqual' | 'deleteIfEqual' | 'hashFieldExpiry' | 'commandLog' | 'atomicSlotMigration';

export interface FeatureFacts {
  /** The command as a learner would type it. */
  command: string;
  /** The Valkey release that brought it. */
  since: string;
  /** What the lab does on a server without it. */
  fallback: string;
}

export const VALKEY_FEATURES: Record<ValkeyFeature, FeatureFacts> = {
  setIfEqual: { command: 'SET … IFEQ', since: '8.1', fallback: 'Lua compare-and-set (EVAL)' },
  deleteIfEqual: { command: 'DELIFEQ', since: '9.0', fallback: 'Lua compare-and-delete (EVAL)' },
  hashFieldExpiry: {
    command: 'HSETEX / HGETEX / HEXPIRE',
    since: '9.0',
    fallback: 'field deadlines in a sorted set beside the hash, applied by Lua when the hash is read',
  },
  commandLog: { command: 'COMMANDLOG', since: '8.1', fallback: 'SLOWLOG (slow commands only)' },
  atomicSlotMigration: { command: 'CLUSTER MIGRATESLOTS', since: '9.0', fallback: 'slot by slot with MIGRATE' },
};

/**
 * The commands whose presence the server itself reports (COMMAND INFO): a server that lacks one, or was
 * built or configured without it, answers nil for it. SET's IFEQ is an option, not a command, so the release decides it.
 */
const COMMANDS_OF: Record<Exclude<ValkeyFeature, 'setIfEqual'>, readonly string[]> = {
  deleteIfEqual: ['DELIFEQ'],
  hashFieldExpiry: ['HSETEX', 'HGETEX', 'HPEXPIRE', 'HPTTL'],
  commandLog: ['COMMANDLOG'],
  atomicSlotMigration: ['CLUSTER|MIGRATESLOTS', 'CLUSTER|GETSLOTMIGRATIONS'],
};

/** What one server (or a cluster's primaries) can do, as detected. */
export interface ValkeyFeatures {
  server: CacheServerInfo;
  /** Whether each feature's new command runs here (false: the lab takes its fallback). */
  has: Record<ValkeyFeature, boolean>;
}

/** `major.minor` of a version string, as numbers; unknown parts are 0. */
function majorMinor(version: string): [number, number] {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor];
}

/** True when Valkey `version` is `since` (major.minor) or newer. */
export function valkeyAtLeast(version: string, since: string): boolean {
  const [major, minor] = majorMinor(version);
  const [wantMajor, wantMinor] = majorMinor(since);
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}

/**
 * The features of a server, from its identity and the COMMAND INFO replies for `COMMANDS_OF` (nil where it
 * has no such command). Redis is never credited with Valkey's commands, whatever its version.
 */
export function featuresOf(server: CacheServerInfo, commandsPresent: ReadonlySet<string>): ValkeyFeatures {
  const valkey = server.flavor === 'valkey';
  const has = (feature: Exclude<ValkeyFeature, 'setIfEqual'>) =>
    valkey && COMMANDS_OF[feature].every((command) => commandsPresent.has(command));
  return {
    server,
    has: {
      setIfEqual: valkey && valkeyAtLeast(server.version, VALKEY_FEATURES.setIfEqual.since),
      deleteIfEqual: has('deleteIfEqual'),
      hashFieldExpiry: has('hashFieldExpiry'),
      commandLog: has('commandLog'),
      atomicSlotMigration: has('atomicSlotMigration'),
    },
  };
}

/** Detected once per client: a notebook's many calls ask the server one time. */
const detected = new WeakMap<ValkeyClient, Promise<ValkeyFeatures>>();

/**
 * What the server behind `client` can do: INFO server and one COMMAND INFO, asked once per client (on a
 * cluster, of its first primary: the lab's clusters run one release).
 */
export function detectFeatures(client: ValkeyClient): Promise<ValkeyFeatures> {
  let features = detected.get(client);
  if (!features) {
    features = detect(client);
    // A failed detection (the server was away) is asked again next time rather than remembered.
    features.catch(() => detected.delete(client));
    detected.set(client, features);
  }
  return features;
}

/**
 * Makes `client` take the fallback of `features` from now on, whatever its server has: a second connection to a
 * newer server then runs the older way, so a notebook can set the two side by side on one server.
 */
export function takeFallback(client: ValkeyClient, ...features: ValkeyFeature[]): Promise<ValkeyFeatures> {
  const forced = detect(client).then((found) => ({
    server: found.server,
    has: { ...found.has, ...Object.fromEntries(features.map((feature) => [feature, false])) },
  }));
  forced.catch(() => detected.delete(client));
  detected.set(client, forced);
  return forced;
}

async function detect(client: ValkeyClient): Promise<ValkeyFeatures> {
  const server = await valkeyServerInfo(client);
  const node = isCluster(client) ? primaries(client)[0]! : client;
  const names = [...new Set(Object.values(COMMANDS_OF).flat())];
  const replies = (await node.call('COMMAND', 'INFO', ...names)) as unknown[];
  const present = new Set(names.filter((_, i) => replies[i] !== null && replies[i] !== undefined));
  return featuresOf(server, present);
}

/** Which way a feature ran: its new command, or the fallback. */
export type FeaturePath = 'command' | 'fallback';

/** One row per feature for a table: what it is, since when, and what this server runs. */
export function featureTable(
  features: ValkeyFeatures,
): Array<{ feature: string; since: string; 'this server runs': string }> {
  return (Object.keys(VALKEY_FEATURES) as ValkeyFeature[]).map((feature) => {
    const facts = VALKEY_FEATURES[feature];
    return {
      feature: facts.command,
      since: `Valkey ${facts.since}`,
      'this server runs': features.has[feature] ? facts.command : `fallback: ${facts.fallback}`,
    };
  });
}
