// What notebooks import: `import { ... } from 'valkey-lab'`.

export * from './check';
export * from './config';
export * from './errors';
export * from './db';
export * from './valkey';
export * from './patterns';
export * from './measure';
export * from './show';
export * from './lab';
export * from './queries';
export { datasetStatus, DATASET_TABLES, METADATA_TABLE, type DatasetStatus, type DatasetState } from '../datasets';
export * from './experiments';
