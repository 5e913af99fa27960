export * from './change';
export * from './errors';
export * from './ports';
export * from './plan';
export * from './transactions';
export * from './flush';
export * from './intake';
export * from './reconcile';
