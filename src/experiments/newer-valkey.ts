// A newer Valkey command beside the older way, in one run. Where the lab's own Valkey has the command, both ways
// run on it (the fallback on a second connection told to take it); where it has not, the fallback runs on it and
// the command on a private server of the Valkey 9.1 that set-up built; with neither, only the fallback runs, and
// the run says so.

import { builtValkey } from '../valkey/binaries';
import type { ValkeyClient } from '../valkey/client';
import {
  detectFeatures,
  takeFallback,
  VALKEY_FEATURES,
  type FeaturePath,
  type ValkeyFeature,
} from '../valkey/features';
import type { CacheServerInfo } from '../valkey/info';
import type { Lab, LabPrivateValkey } from '../lab';

/** Each feature's older way, in a few words (a table's row name). */
export const FALLBACK_NAMES: Record<ValkeyFeature, string> = {
  setIfEqual: 'Lua compare-and-set',
  deleteIfEqual: 'Lua compare-and-delete',
  hashFieldExpiry: 'Lua field deadlines',
  commandLog: 'SLOWLOG',
  atomicSlotMigration: 'MIGRATE key by key',
};

/** One way of doing the job: the new command or its fallback, on a connection that takes it. */
export interface FeatureSide {
  way: FeaturePath;
  /** `DELIFEQ`, `Lua compare-and-delete`… */
  name: string;
  /** A connection whose helpers take this way (detectFeatures answers accordingly). */
  client: ValkeyClient;
  server: CacheServerInfo;
}

/** Where each way of a feature runs in this notebook, and why. */
export interface FeatureSides {
  feature: ValkeyFeature;
  /** Always there: the older way. */
  fallback: FeatureSide;
  /** The new command, unless no Valkey here has it. */
  command?: FeatureSide;
  /** The fallback first, then the command when there is one. */
  all: FeatureSide[];
  /** `one server`: both on the lab's Valkey; `private build`: the command on a private 9.1; `fallback only`. */
  where: 'one server' | 'private build' | 'fallback only';
  /** What ran where, as one sentence (Markdown) from this run's detection. */
  ran: string;
}

/** The private newer Valkey of a lab, started once and shared by the notebook's comparisons. */
const newerServers = new WeakMap<Lab, Promise<LabPrivateValkey | undefined>>();

/**
 * A private server of the Valkey 9.1 that set-up built (`npm run setup -- --valkey 9.1`), started once per lab
 * and ended by `lab.close()`; undefined when there is no such build.
 */
export function builtValkeyServer(lab: Lab): Promise<LabPrivateValkey | undefined> {
  let server = newerServers.get(lab);
  if (!server) {
    const build = builtValkey(lab.config.root);
    server = build ? lab.privateValkey({ binary: build.bin.server }) : Promise.resolve(undefined);
    server.catch(() => newerServers.delete(lab));
    newerServers.set(lab, server);
  }
  return server;
}

/**
 * The two ways of `feature` for this lab: where the lab's Valkey has the new command, both on it; else the fallback
 * on it and the command on a private server of the 9.1 build; else the fallback alone. `fallbackName` names the
 * older way where the notebook's differs from the usual one (`FALLBACK_NAMES`).
 */
export async function featureSides(
  lab: Lab,
  feature: ValkeyFeature,
  options: { fallbackName?: string } = {},
): Promise<FeatureSides> {
  const facts = VALKEY_FEATURES[feature];
  const labs = await detectFeatures(lab.valkey);
  const side = (way: FeaturePath, client: ValkeyClient, server: CacheServerInfo): FeatureSide => ({
    way,
    name: way === 'command' ? facts.command : (options.fallbackName ?? FALLBACK_NAMES[feature]),
    client,
    server,
  });
  const on = (s: FeatureSide) => `**${s.name}** on ${s.server.label} at ${s.server.where}`;
  if (labs.has[feature]) {
    const second = await lab.connection();
    await takeFallback(second, feature);
    const sides = [side('fallback', second, labs.server), side('command', lab.valkey, labs.server)] as const;
    return {
      feature,
      fallback: sides[0],
      command: sides[1],
      all: [...sides],
      where: 'one server',
      ran: `The lab's ${labs.server.label} has ${facts.command} (Valkey ${facts.since}): both ways ran on it, ${on(sides[1])} and ${on(sides[0])} (on a second connection told to take the fallback).`,
    };
  }
  const fallback = side('fallback', lab.valkey, labs.server);
  const server = await builtValkeyServer(lab);
  const newer = server && (await detectFeatures(server.client));
  if (!server || !newer?.has[feature]) {
    return {
      feature,
      fallback,
      all: [fallback],
      where: 'fallback only',
      ran: `The lab's ${labs.server.label} has no ${facts.command} (Valkey ${facts.since}), and no Valkey 9.1 build is here (\`npm run setup -- --valkey 9.1\` makes one): only ${on(fallback)} ran; the comparison with ${facts.command} is skipped.`,
    };
  }
  const command = side('command', server.client, newer.server);
  return {
    feature,
    fallback,
    command,
    all: [fallback, command],
    where: 'private build',
    ran: `The lab's ${labs.server.label} has no ${facts.command} (Valkey ${facts.since}): ${on(fallback)}, and ${on(command)}, a private server of the Valkey 9.1 set-up built.`,
  };
}
