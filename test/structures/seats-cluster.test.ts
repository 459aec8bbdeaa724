// The seat-booking concurrency tests of part 3, run with the cache on a real three-primary Valkey Cluster.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Cluster } from 'iovalkey';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, type EngineKind } from '../../src/config';
import { createSeatInventory } from '../../src/structures';
import { clearLabKeys, connectValkeyCluster, startLocalCluster, type LocalCluster } from '../../src/valkey';
import {
  A320,
  bookAndCancelWithReaders,
  bookOneSeatSixtyTimes,
  openBookingFlight,
  type BookingFlight,
} from '../support/seats';

const FLIGHT = 1001;
const PASSENGER = 12345;

let cluster: LocalCluster;
let valkey: Cluster;
beforeAll(async () => {
  cluster = await startLocalCluster({ dir: mkdtempSync(path.join(tmpdir(), 'lab-seats-cluster-')) });
  valkey = await connectValkeyCluster(cluster.seeds, { keyPrefix: 'lab:' });
}, 60_000);
afterAll(async () => {
  valkey?.disconnect();
  await cluster?.stop();
});

describe.each(ENGINE_KINDS)('seat booking on %s with the cache on a Valkey Cluster', (kind: EngineKind) => {
  let flight: BookingFlight;
  const inventory = (settleMs?: number) =>
    createSeatInventory(valkey, {
      flightId: FLIGHT,
      layout: A320,
      store: flight.store,
      namespace: `${kind}:`,
      ...(settleMs === undefined ? {} : { settleMs }),
    });

  beforeAll(async () => {
    flight = await openBookingFlight(kind, FLIGHT);
  }, 120_000);
  afterEach(async () => {
    await flight.removeLabBookings();
    await clearLabKeys(valkey);
  });
  afterAll(async () => {
    await flight?.close();
  });

  it('keeps every key of the flight in one hash slot, so its scripts run on one node', async () => {
    const keys = Object.values(inventory().keys);
    expect(keys).toHaveLength(3);
    const slots = await Promise.all(keys.map((k) => valkey.cluster('KEYSLOT', `lab:${k}`)));
    expect(new Set(slots).size).toBe(1);
  });

  it('gives a seat to exactly one of 60 concurrent attempts: one row, one bit, counters equal to the database', async () => {
    const seats = inventory();
    expect((await seats.availability()).outcome).toBe('built');
    await bookOneSeatSixtyTimes(valkey, seats, flight, PASSENGER);
  });

  it('keeps the counters exact through concurrent bookings, duplicates, cancellations and repairing readers', async () => {
    await bookAndCancelWithReaders(valkey, inventory(0), flight, PASSENGER);
  });
});
