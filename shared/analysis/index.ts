export * from './conversations';
export * from './decode';
export * from './flow';
export * from './follow';
export * from './io-graph';
