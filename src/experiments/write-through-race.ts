// Two writers racing on one write-through entry, in the order that breaks a cache without versions: writer A
// commits first, but its cache update is held back until writer B (who committed later) has finished.

/** A write-through call with its database write and its committed-record loader (e.g. `writeThrough.write` on a key). */
export type WriteThroughCall<L, R> = (write: () => Promise<void>, load: () => Promise<L>) => Promise<R>;

/**
 * Runs writer A until its commit, then writer B from start to end, then lets A's cache update go: A's record is
 * the older one, and it arrives last. Returns both writers' results. `load` reads the committed record.
 */
export async function raceTwoWriters<L, R>(
  writeThrough: WriteThroughCall<L, R>,
  writers: { a: () => Promise<void>; b: () => Promise<void> },
  load: () => Promise<L>,
): Promise<{ a: R; b: R }> {
  let committed!: () => void;
  const aCommitted = new Promise<void>((resolve) => (committed = resolve));
  let release!: () => void;
  const aMayStore = new Promise<void>((resolve) => (release = resolve));
  const a = writeThrough(
    async () => {
      await writers.a();
      committed();
    },
    async () => {
      const record = await load(); // A's committed record, read at once...
      await aMayStore; // ...but stored only after B is done
      return record;
    },
  );
  await Promise.race([aCommitted, a]);
  const b = await writeThrough(writers.b, load);
  release();
  return { a: await a, b };
}
