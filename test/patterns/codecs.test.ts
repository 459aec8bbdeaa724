import type Redis from 'iovalkey';
import { describe, expect, it } from 'vitest';
import { CODECS, createCacheAside, gzipJsonCodec, jsonCodec, msgpackCodec, rowsWithColumns } from '../../src/patterns';
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

  it('without a codec still stores plain JSON text', async () => {
    await createCacheAside(valkey)('flights:plain', 300, async () => flights);
    expect(JSON.parse((await valkey.get('flights:plain'))!)).toEqual(flights);
  });
});
