// Data-structure recipes the guide teaches: sessions, leaderboards, seat maps with counters, user profiles.

export * from './sessions';
export * from './leaderboard';
export * from './seats';
export * from './user-profile';
