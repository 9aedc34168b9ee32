export * from './contract';
export * from './kernel-view';
