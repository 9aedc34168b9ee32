import { describe, expect, it } from 'vitest';
import { appendLog, droppedLines, emptyLog, splitLogText } from './machine-log';

const line = (n: number) => ({ timeNs: n * 1e6, text: `ftpd[100]: line ${n}` });

describe('machine log view', () => {
  it('appends pages in order and counts what was fetched (the next offset)', () => {
    let v = emptyLog('server');
    v = appendLog(v, [line(1), line(2)]);
    v = appendLog(v, [line(3)]);
    expect(v.lines.map((l) => l.text)).toEqual(['ftpd[100]: line 1', 'ftpd[100]: line 2', 'ftpd[100]: line 3']);
    expect(v.fetched).toBe(3);
    expect(v.machine).toBe('server');
  });

  it('an empty page changes nothing (same object: no re-render)', () => {
    const v = appendLog(emptyLog('server'), [line(1)]);
    expect(appendLog(v, [])).toBe(v);
  });

  it('keeps the newest lines and still counts every line fetched', () => {
    let v = emptyLog('server');
    for (let i = 1; i <= 5; i++) v = appendLog(v, [line(i)], 3);
    expect(v.lines.map((l) => l.timeNs)).toEqual([3e6, 4e6, 5e6]);
    expect(v.fetched).toBe(5);
    expect(droppedLines(v)).toBe(2);
  });

  it('splits the syslog tag and pid from the message', () => {
    expect(splitLogText('ftpd[412]: OK LOGIN: Client "10.0.0.11", user "student"')).toEqual({ tag: 'ftpd', pid: 412, message: 'OK LOGIN: Client "10.0.0.11", user "student"' });
    expect(splitLogText('httpd[7]: bind 0.0.0.0:80: Address already in use')).toEqual({ tag: 'httpd', pid: 7, message: 'bind 0.0.0.0:80: Address already in use' });
    expect(splitLogText('no tag here')).toEqual({ message: 'no tag here' });
    expect(splitLogText('a b[1]: not a tag')).toEqual({ message: 'a b[1]: not a tag' });
  });
});
