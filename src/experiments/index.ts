// Experiments the lab runs on servers it owns: eviction, memory, monitoring, pipelining and profiling.

export * from './eviction';
export * from './memory';
export * from './monitoring';
export * from './pipelining';
export * from './profiling';
export * from './troubleshooting';
