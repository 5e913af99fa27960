export * from './record';
export * from './audit-log';
