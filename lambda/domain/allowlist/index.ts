export * from './change';
export * from './apply-change';
