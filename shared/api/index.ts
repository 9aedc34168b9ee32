export * from './contract';
export * from './kernel-view';
export * from './services';
export * from './analysis';
