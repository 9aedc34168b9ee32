export * from './scheduler';
export * from './rng';
export * from './waitqueue';
