export * from './terms';
export * from './model';
export * from './dpv';
export * from './evaluate';
export * from './offer';
export * from './decide';
export * from './price';
