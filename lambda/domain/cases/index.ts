export * from './case';
export * from './open-case';
