// The caching patterns the lab book teaches, each a small function over a Valkey client.

export * from './cache-aside';
export * from './write-through';
export * from './write-behind';
export * from './write-behind-drill';
export * from './near-cache';
export * from './hierarchy';
export * from './hit-rate';
