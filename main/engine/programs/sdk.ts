// What a program written outside the engine needs (main/service's sshd and ssh, which use a Node
// library): the syscall API and the helpers the engine's own daemons and clients are built from.
export { sys, isErr, Errno, AGAIN, POLLIN, POLLOUT, POLLHUP, type Program, type Sys, type Passwd, type Signal, type PollResult, type FileObject, type Again } from '../process';
export { WaitQueue } from '../sim';
export { decodeUtf8, encodeUtf8 } from '../process/utf8';
export { serveTcp, type Peer } from './lib/daemon';
export { DaemonLog } from './lib/log';
export { LineReader, TOO_LONG, writeAll } from './lib/lineio';
export { startLoginShell, type LoginSession } from './lib/login';
export { getpass } from './lib/getpass';
export { resolveHost } from './lib/net';
export { readFile, writeFile } from './lib/files';
export { portArg } from './daemons/args';
export { err, out } from './stdio';
