// What notebooks import: `import { ... } from 'valkey-lab'`.

export * from './config';
export * from './errors';
export * from './db';
