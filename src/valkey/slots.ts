// The slot a key goes to in a Valkey Cluster: CRC16 of the key, or of its hash tag, modulo 16,384.

/** The part of a key that decides its slot: what stands between the first `{` and the next `}`, if not empty. */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  // `{}` or an unclosed brace: the whole key counts.
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/** CRC16 as the cluster computes it (the XMODEM variant: polynomial 0x1021, initial value 0), over UTF-8 bytes. */
export function crc16(text: string): number {
  let crc = 0;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The hash slot of a key as stored (with the client's prefix, if any): CRC16 of its hash tag, modulo 16,384. */
export function keySlot(storedKey: string): number {
  return crc16(hashTagOf(storedKey)) % 16_384;
}
