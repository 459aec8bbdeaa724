// Value codecs: how a cached value becomes bytes in Valkey and back (JSON, MessagePack, compressed JSON).

import { Packr } from 'msgpackr';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * One way of storing a value as bytes. `decode(encode(v))` gives back `v` as its codec understands it:
 * JSON turns a Date into its ISO text, MessagePack keeps it a Date.
 */
export interface Codec {
  /** Short name for tables and charts, e.g. `json`, `msgpack`, `json+gzip`. */
  name: string;
  encode(value: unknown): Buffer;
  /** Throws when the bytes are not a value of this codec (the cache treats that entry as malformed). */
  decode(bytes: Buffer): unknown;
}

/** JSON text in UTF-8: readable in valkey-cli, understood by every client. */
export const jsonCodec: Codec = {
  name: 'json',
  encode: (value) => Buffer.from(JSON.stringify(value), 'utf8'),
  decode: (bytes) => JSON.parse(bytes.toString('utf8')) as unknown,
};

// Plain MessagePack maps (no msgpackr "records" extension), so any MessagePack client can read the entries.
const packr = new Packr({ useRecords: false });

/** MessagePack (msgpackr): binary, no field quoting, numbers and dates kept as such. */
export const msgpackCodec: Codec = {
  name: 'msgpack',
  encode: (value) => packr.pack(value),
  decode: (bytes) => packr.unpack(bytes) as unknown,
};

// msgpackr's record extension: an object's field names are written once per shape, then each row is only its
// values; the shape travels inside every value, so any msgpackr reader (not only this process) decodes it.
const recordPackr = new Packr({ useRecords: true });

/**
 * MessagePack with msgpackr's records: for rows of one shape (a query result) the column names are stored once,
 * not once per row, and decoding builds each row from the shared shape: fewer bytes and a faster decode than
 * JSON. The records are a MessagePack extension, so only msgpackr reads them: choose it when every reader of the
 * cache is JavaScript.
 */
export const msgpackRecordsCodec: Codec = {
  name: 'msgpack+records',
  encode: (value) => recordPackr.pack(value),
  decode: (bytes) => recordPackr.unpack(bytes) as unknown,
};

/** JSON compressed with gzip (node:zlib): fewer bytes in memory and on the wire, more CPU per read. */
export const gzipJsonCodec: Codec = {
  name: 'json+gzip',
  encode: (value) => gzipSync(Buffer.from(JSON.stringify(value), 'utf8')),
  decode: (bytes) => JSON.parse(gunzipSync(bytes).toString('utf8')) as unknown,
};

/** The codecs the lab compares, in the order it shows them. */
export const CODECS: readonly Codec[] = [jsonCodec, msgpackCodec, msgpackRecordsCodec, gzipJsonCodec];
