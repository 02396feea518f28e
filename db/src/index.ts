export * from './config.ts';
export * from './data-source.ts';
export * from './embedded.ts';
export * from './private-file.ts';
export * from './seed-data.ts';
export * from './bulk-load.ts';
export * from './data-dir-lock.ts';
