// Data-structure recipes the guide teaches: sessions in hashes, leaderboards in sorted sets.

export * from './sessions';
export * from './leaderboard';
