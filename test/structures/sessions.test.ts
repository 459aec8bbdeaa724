import type Redis from 'iovalkey';
import { describe, expect, it } from 'vitest';
import { createSessionStore, newSessionId } from '../../src/structures';
import { usePrivateValkey } from '../support/valkey';

describe('sessions', () => {
  let valkey: Redis;
  const pilot = { user_id: 123, username: 'pilot_john', last_airport: 'JFK', preferences: '{"theme":"dark"}' };

  usePrivateValkey('sessions', (client) => (valkey = client));

  it('stores a session as a hash under a random id, with its expiry', async () => {
    const sessions = createSessionStore(valkey, { ttlSeconds: 1800 });
    const id = await sessions.create(pilot);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    expect(await valkey.type(sessions.keyOf(id))).toBe('hash');
    expect(await valkey.hgetall(sessions.keyOf(id))).toEqual({
      user_id: '123',
      username: 'pilot_john',
      last_airport: 'JFK',
      preferences: '{"theme":"dark"}',
    });
    const ttl = await valkey.ttl(sessions.keyOf(id));
    expect(ttl).toBeGreaterThan(1790);
    expect(ttl).toBeLessThanOrEqual(1800);
  });

  it('gives the same user a new, unrelated id each time', async () => {
    const sessions = createSessionStore(valkey);
    const ids = await Promise.all(Array.from({ length: 50 }, () => sessions.create(pilot)));
    expect(new Set(ids).size).toBe(50);
    expect(ids.some((id) => id.includes('123') && id.includes('pilot'))).toBe(false);
    expect(new Set(Array.from({ length: 1000 }, newSessionId)).size).toBe(1000);
  });

  it('restarts the expiry on every read (sliding expiry)', async () => {
    const sessions = createSessionStore(valkey, { ttlSeconds: 600 });
    const id = await sessions.create(pilot);
    await valkey.expire(sessions.keyOf(id), 5); // as if the user had been idle for almost ten minutes
    const read = await sessions.read(id);
    expect(read.found).toBe(true);
    expect(read.fields.username).toBe('pilot_john');
    expect(read.ttlSeconds).toBeGreaterThan(590);
    expect(await valkey.ttl(sessions.keyOf(id))).toBeGreaterThan(590);
  });

  it('is gone after logout, and after its expiry', async () => {
    const sessions = createSessionStore(valkey, { ttlSeconds: 1 });
    const id = await sessions.create(pilot);
    expect(await sessions.logout(id)).toBe(true);
    expect(await valkey.exists(sessions.keyOf(id))).toBe(0);
    expect(await sessions.read(id)).toEqual({ found: false, fields: {}, ttlSeconds: -2 });
    expect(await sessions.logout(id)).toBe(false);

    const idle = await sessions.create(pilot);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await sessions.read(idle)).found).toBe(false);
    expect(await valkey.exists(sessions.keyOf(idle))).toBe(0); // reading a lost session does not resurrect it
  });

  it('refuses to keep credentials in a session, and ids it did not issue', async () => {
    const sessions = createSessionStore(valkey);
    await expect(sessions.create({ ...pilot, password: 'hunter2' })).rejects.toThrow(/must not hold "password"/);
    await expect(sessions.create({ ...pilot, api_key: 'k' })).rejects.toThrow(/must not hold "api_key"/);
    await expect(sessions.create({ ...pilot, card_number: '4111' })).rejects.toThrow(/card_number/);
    expect(await valkey.dbsize()).toBe(0);
    await expect(sessions.read('user123')).rejects.toThrow(/Not a session id/);
  });

  it('keeps its keys under the prefix it is given', async () => {
    const sessions = createSessionStore(valkey, { prefix: 'session:mysql' });
    const id = await sessions.create(pilot);
    expect(sessions.keyOf(id)).toBe(`session:mysql:${id}`);
    expect(await valkey.exists(`session:mysql:${id}`)).toBe(1);
    expect(() => createSessionStore(valkey, { prefix: 'my sessions' })).toThrow(/has a space/);
  });
});
