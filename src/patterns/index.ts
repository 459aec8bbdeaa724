// The caching patterns the lab book teaches, each a small function over a Valkey client.

export * from './cache-aside';
export * from './codecs';
