export * from './money';
export * from './plans';
export * from './estimate';
export * from './fee';
export * from './credits';
export * from './fair-share';
export * from './describe';
export * from './api';
