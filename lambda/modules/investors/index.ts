export * from './investor';
export * from './ports';
export * from './register';
export * from './lifecycle';
export * from './wallets';
