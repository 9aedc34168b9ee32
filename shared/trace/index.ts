export * from './events';
export * from './drop-reasons';
export * from './frame-row';
