// Cache entries no JSON reader may trust, named for the test titles: the fault suite puts them under every reader.

/** A named bad entry: what to SET under the reader's key. */
export type BadEntry = [name: string, entry: string | Buffer];

/**
 * The damage a JSON entry can come to: `good` is a valid entry (truncated here), `shape` valid JSON of another
 * shape, `oversize` a value whose JSON is over the readers' size limit.
 */
export function badJson(good: string, shape: unknown, oversize: unknown): BadEntry[] {
  return [
    ['garbage bytes', Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x7b])],
    ['not JSON', 'hello, world'],
    ['truncated JSON', good.slice(0, good.length - 7)],
    ['truncated to one byte', good.slice(0, 1)],
    ['JSON of another shape', JSON.stringify(shape)],
    ['an empty string', ''],
    ['oversize', JSON.stringify(oversize)],
  ];
}
