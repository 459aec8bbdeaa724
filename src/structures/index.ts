// Data-structure recipes the guide teaches: seat maps with counters, user profiles and frequent routes.

export * from './seats';
export * from './user-profile';
