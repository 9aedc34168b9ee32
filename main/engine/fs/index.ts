// main/engine/fs: a machine's filesystem and accounts, and their syscalls. The one door.
export { Vfs, resolvePath, FILE_MAX_BYTES, FS_MAX_BYTES, type Inode, type Cred } from './vfs';
export { Users, FIRST_USER_UID, type UserSpec } from './users';
export { registerFsSyscalls } from './syscalls';
export { seedTree, LAB_DOMAIN } from './default-tree';
