export * from './context';
export * from './nic';
export * from './cable';
export * from './switch';
