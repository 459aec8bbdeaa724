// The dataset: FlughafenDB as the guide queries it, generated from a seed and bulk-loaded into either engine.

export { loadDataset, type LoadOptions, type LoadProgress, type LoadSummary, type TableLoad } from './loader';
export { countRows, datasetStatus, METADATA_TABLE, type DatasetState, type DatasetStatus } from './status';
export {
  GENERATOR_VERSION,
  SCALE_DEFINITIONS,
  SCALES,
  STORY_NOW,
  scaleDefinition,
  type Scale,
  type ScaleDefinition,
} from './scales';
export {
  DATASET_TABLES,
  SCHEMA,
  allIndexNames,
  createTableSql,
  indexSql,
  type TableDefinition,
  type TableName,
} from './schema';
export { planDataset, type DatasetPlan, type TablePlan } from './plan';
export { GUIDE_HUBS } from './generate/network';
export { FREQUENT_TRAVELLER_ID, STORY_FLIGHTS, STORY_PASSENGER_ID } from './generate/flights';
