export * from './scopes.ts';
export * from './config.ts';
export * from './dev-keys.ts';
export * from './gateway-keys.ts';
export * from './verifier.ts';
export * from './directive.ts';
export * from './api-keys.ts';
