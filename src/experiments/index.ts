// Experiments the lab runs: eviction, memory, monitoring, pipelining, profiling, and the user-facing queries'
// database-vs-cache comparison.

export * from './eviction';
export * from './memory';
export * from './monitoring';
export * from './pipelining';
export * from './profiling';
export * from './troubleshooting';
export * from './user-facing-bench';
