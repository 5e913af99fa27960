export * from './case';
export * from './errors';
export * from './business-days';
export * from './open-case';
export * from './queue';
export * from './effects';
export * from './review';
