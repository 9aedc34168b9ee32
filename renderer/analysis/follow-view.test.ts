import { describe, expect, it } from 'vitest';
import { asciiText, followBlocks, followHexText } from './follow-view';

const b = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('Follow TCP Stream text', () => {
  it('shows printable ASCII, CRLF as one line end and other bytes as dots', () => {
    expect(asciiText(b('220 ready\r\nA\x00\x7f\tB\r'))).toBe('220 ready\nA..\tB.');
  });

  it('dumps hex like Wireshark: offset, two groups of eight, ASCII', () => {
    expect(followHexText(b('GET / HTTP/1.1\r\nHost'), 0, '')).toBe(
      '00000000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..\n' +
        '00000010  48 6f 73 74                                       Host',
    );
  });

  it('joins consecutive chunks of one side, counts each side`s offsets, indents the server', () => {
    const chunks = [
      { fromServer: true, no: 4, data: b('220 hi\r\n') },
      { fromServer: false, no: 6, data: b('USER a\r\n') },
      { fromServer: false, no: 7, data: b('PASS b\r\n') },
      { fromServer: true, no: 8, data: b('230 ok\r\n') },
    ];
    expect(followBlocks(chunks, 'ascii')).toEqual([
      { fromServer: true, nos: [4], text: '220 hi\n', bytes: 8 },
      { fromServer: false, nos: [6, 7], text: 'USER a\nPASS b\n', bytes: 16 },
      { fromServer: true, nos: [8], text: '230 ok\n', bytes: 8 },
    ]);
    const hex = followBlocks(chunks, 'hex');
    expect(hex[2]!.text.startsWith('    00000008  32 33 30')).toBe(true);
    expect(hex[1]!.text.split('\n')[1]!.startsWith('00000008  50 41 53 53')).toBe(true);
  });
});
