export * from './errors';
export * from './permissions';
export * from './identifiers';
export * from './common';
export * from './members';
export * from './identity';
export * from './client';
export * from './catalog';
