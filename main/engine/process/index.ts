export * from './errno';
export * from './file';
export * from './process';
export * from './kernel';
export * from './syscalls';
export * from './tty';
export * from './pty';
