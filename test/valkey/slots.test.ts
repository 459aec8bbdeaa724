// The slot a key goes to, computed as the cluster computes it (checked against known values; the notebook checks
// it against CLUSTER KEYSLOT on a live cluster).

import { describe, expect, it } from 'vitest';
import { crc16, hashTagOf, keySlot } from '../../src/valkey/slots';

describe('hash slots', () => {
  it('uses CRC16/XMODEM: 0x31C3 for "123456789"', () => {
    expect(crc16('123456789')).toBe(0x31c3);
  });

  it('hashes the whole key without a tag, and only the tag with one', () => {
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('lab:flight:{1001}:seats')).toBe(keySlot('{1001}'));
    expect(keySlot('{1001}')).toBe(15391);
  });

  it('takes the first {…} that is not empty, and the whole key otherwise', () => {
    expect(hashTagOf('a{b}c{d}')).toBe('b');
    expect(hashTagOf('a{}b{c}')).toBe('a{}b{c}');
    expect(hashTagOf('a{b')).toBe('a{b');
    expect(hashTagOf('plain')).toBe('plain');
  });
});
