export { CannotRunError } from './errors.ts';
export { DATASET_FILES, datasetFiles } from './dataset.ts';
export { importDataset, type ImportOptions, type ImportReport } from './import.ts';
export { formatRowError, type FileReport, type RowError } from './report.ts';
export { IMPORTED_EVENT_TYPES } from './aggregates/dossiers.ts';
