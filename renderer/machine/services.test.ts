import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../shared/api';
import { bridgeable, commandLine, commandMessage, defaultLocalPort, parsePortField, portFieldText, serviceStateText } from './services';

const ftp: ServiceStatus = { name: 'ftp', description: 'FTP server', daemon: 'ftpd', defaultPort: 21, proto: 'tcp', state: 'stopped' };
const running: ServiceStatus = { ...ftp, state: 'running', pid: 105, port: 2121 };

describe('Services dialog logic', () => {
  it('the port field shows the running port, else what was typed, else the well-known port', () => {
    expect(portFieldText(ftp, undefined)).toBe('21');
    expect(portFieldText(ftp, '2121')).toBe('2121');
    expect(portFieldText(ftp, '')).toBe('');
    expect(portFieldText(running, '99')).toBe('2121');
  });

  it('the well-known port (or an empty field) starts without a port argument; others are checked', () => {
    expect(parsePortField('21', ftp)).toEqual({ ok: true, port: undefined });
    expect(parsePortField('  ', ftp)).toEqual({ ok: true, port: undefined });
    expect(parsePortField(' 2121 ', ftp)).toEqual({ ok: true, port: 2121 });
    expect(parsePortField('65535', ftp)).toEqual({ ok: true, port: 65535 });
    expect(parsePortField('0', ftp)).toEqual({ ok: false, error: '0 is not a port number (1-65535)' });
    expect(parsePortField('65536', ftp)).toEqual({ ok: false, error: '65536 is not a port number (1-65535)' });
    expect(parsePortField('21.5', ftp)).toEqual({ ok: false, error: '"21.5" is not a port number (1-65535)' });
    expect(parsePortField('-1', ftp).ok).toBe(false);
    expect(parsePortField('ftp', ftp).ok).toBe(false);
  });

  it('state text: running with pid and port, or stopped', () => {
    expect(serviceStateText(running)).toBe('running · pid 105 · port 2121/tcp');
    expect(serviceStateText(ftp)).toBe('stopped');
    expect(serviceStateText({ ...running, name: 'dns', proto: 'tcp+udp', port: 53 })).toBe('running · pid 105 · port 53/tcp+udp');
  });

  it('a command result: ok with its output, or an error whose text is the reason the command gave', () => {
    expect(commandMessage({ command: 'service ftp start', exitStatus: 0, output: 'Started ftp: ftpd (pid 105) on port 21/tcp\n', services: [] })).toEqual({
      kind: 'ok',
      command: 'service ftp start',
      text: 'Started ftp: ftpd (pid 105) on port 21/tcp',
    });
    const clash = 'Job for http.service failed: httpd exited at start.\nJan  1 00:00:03 httpd[107]: bind 0.0.0.0:21: Address already in use (port 21 in use by ftpd pid 105)\n';
    expect(commandMessage({ command: 'service http start 21', exitStatus: 1, output: clash, services: [] })).toEqual({ kind: 'error', command: 'service http start 21', text: clash.trimEnd() });
    expect(commandMessage({ command: 'service http start', exitStatus: 3, output: '', services: [] }).text).toBe('service http start failed with exit status 3');
  });

  it('command lines as the console would take them', () => {
    expect(commandLine('ftp', 'start')).toBe('service ftp start');
    expect(commandLine('ftp', 'start', 2121)).toBe('service ftp start 2121');
    expect(commandLine('ftp', 'stop', 2121)).toBe('service ftp stop');
  });
});

describe('bridging from the Services dialog', () => {
  it('offers running TCP services only, and 8000 + a privileged port as the local port', () => {
    const svc = (name: string, state: 'running' | 'stopped', port: number | undefined, proto: 'tcp' | 'udp' | 'tcp+udp'): ServiceStatus => ({ name, description: '', daemon: '', defaultPort: port ?? 1, proto, state, port });
    expect(bridgeable([svc('http', 'running', 80, 'tcp'), svc('ftp', 'stopped', undefined, 'tcp'), svc('dns', 'running', 53, 'tcp+udp')]).map((s) => s.name)).toEqual(['http', 'dns']);
    expect([defaultLocalPort(80), defaultLocalPort(22), defaultLocalPort(9000)]).toEqual([8080, 8022, 9000]);
  });
});
