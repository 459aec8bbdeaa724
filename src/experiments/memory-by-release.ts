// The same keys on two Valkey releases in one run: the system's valkey-server (Debian's 8.0) and the 9.1 that
// set-up built, each on a private server of its own. Valkey 8.1 rebuilt the server's hash tables and later
// releases keep more of a key inside its entry; MEMORY USAGE says what that changes for the lab's data.

import { builtValkey } from '../valkey/binaries';
import { binaryVersion, valkeyServerBinary } from '../valkey/server';
import type { ValkeyClient } from '../valkey/client';
import type { Lab } from '../lab';
import { airportMemoryByRepresentation, measureKeys, type AirportRecord, type RepresentationUsage } from './memory';

/** A Valkey release the lab can start: its server program and version. */
export interface ValkeyRelease {
  label: string;
  version: string;
  binary: string;
}

/** The releases there are to compare: the system's valkey-server, and set-up's build when it is another release. */
export function releasesToCompare(root: string): ValkeyRelease[] {
  const releases: ValkeyRelease[] = [];
  const add = (binary: string) => {
    const version = binaryVersion(binary);
    if (version && !releases.some((r) => r.version === version)) {
      releases.push({ label: `Valkey ${version}`, version, binary });
    }
  };
  // PATH's, whatever VALKEY_SERVER_BIN says: with the build chosen for the run, the system's is the other one.
  try {
    add(valkeyServerBinary({}));
  } catch {
    // No system valkey-server: the build alone, if there is one.
  }
  const build = builtValkey(root);
  if (build) add(build.bin.server);
  return releases.sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true }));
}

/** One release's figures for the same data. */
export interface ReleaseMemory {
  release: ValkeyRelease;
  usage: RepresentationUsage[];
}

/**
 * A HASH past `hash-max-listpack-entries` (one field more than the limit, short values), so it is a real hash
 * table: where the new table shows most. Measured, then deleted.
 */
export async function largeHashUsage(client: ValkeyClient, key: string): Promise<RepresentationUsage> {
  const [, limit] = (await client.config('GET', 'hash-max-listpack-entries')) as [string, string];
  const fields = Number(limit) + 1;
  const pairs = Array.from({ length: fields }, (_, i) => [`field:${i + 1}`, 'x'.repeat(8)]).flat();
  await client.del(key);
  await client.hset(key, ...pairs);
  const { bytes, encodings } = await measureKeys(client, [key]);
  await client.del(key);
  return {
    representation: `one HASH of ${fields} fields`,
    records: fields,
    keys: 1,
    totalBytes: bytes,
    bytesPerRecord: bytes / fields,
    encodings,
    sampleKey: key,
  };
}

/**
 * Stores `airports` the four ways of `airportMemoryByRepresentation`, and one large HASH, on a private server of
 * each release (`releasesToCompare`), one after the other, and measures them. Each server is stopped when done.
 * `ran` says which releases ran (one sentence from this run).
 */
export async function memoryByRelease(
  lab: Lab,
  airports: readonly AirportRecord[],
  namespace: string,
): Promise<{ releases: ReleaseMemory[]; ran: string }> {
  const releases = releasesToCompare(lab.config.root);
  const measured: ReleaseMemory[] = [];
  for (const release of releases) {
    const server = await lab.privateValkey({ binary: release.binary, keyPrefix: '' });
    try {
      const { usage } = await airportMemoryByRepresentation(server.client, airports, namespace);
      usage.push(await largeHashUsage(server.client, `${namespace}:large-hash`));
      measured.push({ release, usage });
    } finally {
      server.client.disconnect();
      await server.stop();
    }
  }
  const names = measured.map((m) => `**${m.release.label}**`).join(' and ');
  const ran =
    measured.length > 1
      ? `The same data on ${names}, each on a private server of its own, one after the other in this run.`
      : `Only ${names || 'no Valkey'} is here (no second release: \`npm run setup -- --valkey 9.1\` builds 9.1), so the comparison between releases is skipped.`;
  return { releases: measured, ran };
}

/** One row per representation: bytes per record on each release, and the newest ÷ the oldest. */
export function memoryByReleaseTable(releases: readonly ReleaseMemory[]): Array<Record<string, string | number>> {
  const [oldest, newest] = [releases[0], releases.at(-1)];
  if (!oldest || !newest) return [];
  return oldest.usage.map((usage, i) => {
    const row: Record<string, string | number> = { representation: usage.representation };
    for (const r of releases) row[`${r.release.label} B per record`] = Math.round(r.usage[i]!.bytesPerRecord);
    if (newest !== oldest) {
      row[`${newest.release.label.replace('Valkey ', '')} ÷ ${oldest.release.label.replace('Valkey ', '')}`] =
        Math.round((newest.usage[i]!.totalBytes / usage.totalBytes) * 100) / 100;
    }
    row.encoding = [...new Set(releases.flatMap((r) => r.usage[i]!.encodings))].join(', ');
    return row;
  });
}
