export * from './investor';
export * from './ports';
export * from './register';
