export * from './screener';
export * from './ports';
export * from './screen-investor';
