// The Valkey side of the lab: a thin layer over iovalkey (connect, INFO, key namespace, servers the lab starts).

export * from './binaries';
export * from './client';
export * from './commandlog';
export * from './conditional';
export * from './features';
export * from './field-expiry';
export * from './info';
export * from './keys';
export * from './monitor';
export * from './server';
export * from './cluster-server';
export * from './processes';
export * from './resharding';
export * from './failover';
