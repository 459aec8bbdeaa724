import type Redis from 'iovalkey';
import { describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import {
  CODECS,
  createCacheAside,
  gzipJsonCodec,
  jsonCodec,
  msgpackCodec,
  msgpackRecordsCodec,
  rowsWithColumns,
} from '../../src/patterns';
import { usePrivateValkey } from '../support/valkey';

const flights = Array.from({ length: 40 }, (_, i) => ({
  flight_id: 1000 + i,
  flightno: `AA${100 + i}`,
  from_iata: 'JFK',
  to_iata: 'LAX',
  price: 199.5 + i,
  airline: 'American Airlines',
}));
const isFlightRows = rowsWithColumns(['flight_id', 'flightno']);

describe('value codecs', () => {
  it.each(CODECS.map((codec) => [codec.name, codec] as const))('%s decodes what it encoded', (_, codec) => {
    const bytes = codec.encode(flights);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(codec.decode(bytes)).toEqual(flights);
  });

  it('MessagePack and gzip store these rows in fewer bytes than JSON text', () => {
    const json = jsonCodec.encode(flights).length;
    expect(msgpackCodec.encode(flights).length).toBeLessThan(json);
    expect(gzipJsonCodec.encode(flights).length).toBeLessThan(json);
  });

  it('records write the column names once per value, not once per row', () => {
    const names = (bytes: Buffer) => bytes.toString('latin1').split('flightno').length - 1;
    expect(names(msgpackCodec.encode(flights))).toBe(flights.length);
    expect(names(msgpackRecordsCodec.encode(flights))).toBe(1);
    expect(msgpackRecordsCodec.encode(flights).length).toBeLessThan(msgpackCodec.encode(flights).length / 2);
  });

  it('records carry their shape: a reader that never saw it (another process) decodes them', () => {
    const stranger = new Packr({ useRecords: true });
    expect(stranger.unpack(msgpackRecordsCodec.encode(flights))).toEqual(flights);
    // Rows of another shape in between do not confuse the shapes.
    const mixed = [{ airport: 'JFK' }, ...flights.slice(0, 2), { airport: 'LAX', city: 'Los Angeles' }];
    expect(new Packr({ useRecords: true }).unpack(msgpackRecordsCodec.encode(mixed))).toEqual(mixed);
  });

  it('MessagePack keeps a Date a Date, where JSON turns it into its ISO text', () => {
    const departure = new Date('2025-12-15T08:00:00Z');
    expect(msgpackCodec.decode(msgpackCodec.encode({ departure }))).toEqual({ departure });
    expect(jsonCodec.decode(jsonCodec.encode({ departure }))).toEqual({ departure: departure.toISOString() });
  });

  it('gzip and JSON refuse bytes that are not theirs', () => {
    expect(() => gzipJsonCodec.decode(Buffer.from('not gzip'))).toThrow();
    expect(() => jsonCodec.decode(Buffer.from([0x93, 0x01, 0x02]))).toThrow();
  });
});

describe('cache-aside with a codec', () => {
  let valkey: Redis;
  usePrivateValkey('codecs', (client) => (valkey = client));

  it.each(CODECS.map((codec) => [codec.name, codec] as const))(
    'with %s: misses, stores the encoded bytes, then hits with equal rows',
    async (name, codec) => {
      const key = `flights:JFK:LAX:${name}`;
      const cacheAside = createCacheAside(valkey, { codec });
      let loads = 0;
      const load = async () => {
        loads += 1;
        return structuredClone(flights);
      };
      const first = await cacheAside(key, 300, load, { isValid: isFlightRows });
      const second = await cacheAside(key, 300, load, { isValid: isFlightRows });
      expect([first.outcome, second.outcome, loads]).toEqual(['miss', 'hit', 1]);
      expect(second.value).toEqual(flights);
      expect((await valkey.getBuffer(key))!.equals(codec.encode(flights))).toBe(true);
    },
  );

  it('treats an entry its codec cannot decode as malformed and replaces it', async () => {
    const key = 'flights:damaged';
    await valkey.set(key, Buffer.from('{"flight_id": 10'), 'EX', 60);
    const cacheAside = createCacheAside(valkey, { codec: gzipJsonCodec });
    const read = await cacheAside(key, 300, async () => flights, { isValid: isFlightRows });
    expect(read.outcome).toBe('malformed');
    expect(read.problem).toMatch(/not valid json\+gzip/);
    expect(gzipJsonCodec.decode((await valkey.getBuffer(key))!)).toEqual(flights);
  });

  // Whatever a codec makes of damaged bytes (an error, or a value of another shape), the read is a miss.
  it.each(CODECS.map((codec) => [codec.name, codec] as const))(
    'with %s: garbage, truncated and empty entries are malformed and replaced',
    async (name, codec) => {
      const encoded = codec.encode(flights);
      const damaged = [
        Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x7b]),
        encoded.subarray(0, encoded.length - 9),
        Buffer.alloc(0),
      ];
      for (const [i, bytes] of damaged.entries()) {
        const key = `flights:damaged:${name}:${i}`;
        await valkey.set(key, bytes, 'EX', 60);
        const read = await createCacheAside(valkey, { codec })(key, 300, async () => flights, {
          isValid: isFlightRows,
        });
        expect(read.outcome, `damage ${i}`).toBe('malformed');
        expect(read.value).toEqual(flights);
        expect((await valkey.getBuffer(key))!.equals(encoded)).toBe(true);
      }
    },
  );

  it('without a codec still stores plain JSON text', async () => {
    await createCacheAside(valkey)('flights:plain', 300, async () => flights);
    expect(JSON.parse((await valkey.get('flights:plain'))!)).toEqual(flights);
  });
});
