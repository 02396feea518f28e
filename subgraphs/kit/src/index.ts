export * from './errors.ts';
export * from './identifiers.ts';
export * from './log.ts';
export * from './measure-module/index.ts';
export * from './prng.ts';
export * from './subgraph.ts';
export * from './main.ts';
export * from './parties.ts';
