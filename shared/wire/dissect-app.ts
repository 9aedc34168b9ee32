// The application layer of the details tree for TCP payloads on well-known ports (app.ts): one node
// per protocol, and below it one node per line of text (with its byte range, CRLF included) or per
// piece of a binary protocol (SSH packets, TELNET commands). Labels follow Wireshark's (packet-ftp.c,
// packet-smtp.c, packet-http.c, packet-ssh.c, packet-telnet.c). Stateless and never throws.

import {
  escapeText,
  isHttpStartLine,
  isSmtpCommand,
  lineAt,
  looksLikeText,
  replyCodeLength,
  sshParts,
  wordEnd,
  type AppMatch,
  type TcpAppProtocol,
  type TextLine,
} from './app';
import { dataNode, malformed, node, shortHex } from './dissect-node';
import type { DissectNode } from './dissect-types';

/** Lines shown per payload; the rest is one "[... more bytes]" node (a 64 KiB body stays cheap). */
export const MAX_LINE_NODES = 200;

/** The application-layer node for the TCP payload bytes[start, end). */
export function dissectTcpApp(app: AppMatch<TcpAppProtocol>, bytes: Uint8Array, start: number, end: number): DissectNode {
  switch (app.protocol) {
    case 'FTP':
      return node('File Transfer Protocol (FTP)', start, end, textLines(bytes, start, end, (l) => ftpLine(bytes, l, app.toServer)));
    case 'FTP-DATA': {
      const n = end - start;
      const kids = looksLikeText(bytes, start, end) ? textLines(bytes, start, end, (l) => lineNode(bytes, l, 'FTP Data: ')) : [dataNode(bytes, start, end)];
      return node(`FTP Data (${n} bytes data)`, start, end, kids);
    }
    case 'SMTP':
      return node('Simple Mail Transfer Protocol', start, end, textLines(bytes, start, end, (l) => smtpLine(bytes, l, app.toServer)));
    case 'HTTP':
      return node('Hypertext Transfer Protocol', start, end, httpNodes(bytes, start, end));
    case 'SSH':
      return node('SSH Protocol', start, end, sshNodes(bytes, start, end, app.toServer));
    case 'TELNET':
      return node('Telnet', start, end, telnetNodes(bytes, start, end));
  }
}

/** A line as Wireshark labels it: its text with the terminator shown as \r\n. */
function lineNode(bytes: Uint8Array, l: TextLine, prefix = '', children?: DissectNode[]): DissectNode {
  return node(prefix + escapeText(bytes, l.start, l.next), l.start, l.next, children);
}

/** One node per line (made by `make`), at most MAX_LINE_NODES, the rest summed up. */
function textLines(bytes: Uint8Array, start: number, end: number, make: (l: TextLine) => DissectNode): DissectNode[] {
  const out: DissectNode[] = [];
  let i = start;
  while (i < end) {
    if (out.length === MAX_LINE_NODES) {
      out.push(node(`[… ${end - i} more bytes]`, i, end));
      break;
    }
    const l = lineAt(bytes, i, end);
    out.push(make(l));
    i = l.next;
  }
  return out;
}

/** "<first word>" and "<the rest>" children of a command or reply line (the split at the first space). */
function splitWord(bytes: Uint8Array, l: TextLine, first: string, rest: string, skip = 0): DissectNode[] {
  const w = skip > 0 ? l.start + skip : wordEnd(bytes, l.start, l.end);
  const wordLabelEnd = skip > 0 ? l.start + 3 : w;
  const kids = [node(`${first}: ${escapeText(bytes, l.start, wordLabelEnd)}`, l.start, wordLabelEnd)];
  const argStart = skip > 0 ? w : w + 1;
  if (argStart < l.end) kids.push(node(`${rest}: ${escapeText(bytes, argStart, l.end)}`, argStart, l.end));
  return kids;
}

/** FTP (RFC 959 §4.1 commands "USER student", §4.2 replies "220 text" / "230-continued"). */
function ftpLine(bytes: Uint8Array, l: TextLine, toServer: boolean): DissectNode {
  if (toServer) return lineNode(bytes, l, '', splitWord(bytes, l, 'Request command', 'Request arg'));
  const code = replyCodeLength(bytes, l);
  return lineNode(bytes, l, '', code > 0 ? splitWord(bytes, l, 'Response code', 'Response arg', code) : undefined);
}

/** SMTP (RFC 5321 §4.1 commands, §4.2 replies); client lines that are no command are message text. */
function smtpLine(bytes: Uint8Array, l: TextLine, toServer: boolean): DissectNode {
  if (toServer) {
    if (!isSmtpCommand(bytes, l)) return lineNode(bytes, l, 'Message text: ');
    return lineNode(bytes, l, 'Command Line: ', splitWord(bytes, l, 'Command', 'Request parameter'));
  }
  const code = replyCodeLength(bytes, l);
  return lineNode(bytes, l, 'Response: ', code > 0 ? splitWord(bytes, l, 'Response code', 'Response parameter', code) : undefined);
}

/** HTTP/1.x (RFC 9112): start line with its parts, header lines, the blank line, then the body. */
function httpNodes(bytes: Uint8Array, start: number, end: number): DissectNode[] {
  const first = lineAt(bytes, start, end);
  if (!isHttpStartLine(bytes, first)) return [bodyNode(bytes, start, end)];
  const out: DissectNode[] = [lineNode(bytes, first, '', httpStartParts(bytes, first))];
  let i = first.next;
  while (i < end) {
    if (out.length === MAX_LINE_NODES) {
      out.push(node(`[… ${end - i} more bytes]`, i, end));
      return out;
    }
    const l = lineAt(bytes, i, end);
    out.push(lineNode(bytes, l));
    i = l.next;
    if (l.end === l.start && l.next > l.start) break; // the empty line ends the header section
  }
  if (i < end) out.push(bodyNode(bytes, i, end));
  return out;
}

function httpStartParts(bytes: Uint8Array, l: TextLine): DissectNode[] {
  const a = wordEnd(bytes, l.start, l.end);
  const b = wordEnd(bytes, a + 1, l.end);
  const request = !(bytes[l.start] === 0x48 && bytes[l.start + 1] === 0x54 && bytes[l.start + 2] === 0x54 && bytes[l.start + 3] === 0x50 && bytes[l.start + 4] === 0x2f);
  const names = request ? ['Request Method', 'Request URI', 'Request Version'] : ['Response Version', 'Status Code', 'Response Phrase'];
  const kids = [node(`${names[0]}: ${escapeText(bytes, l.start, a)}`, l.start, a), node(`${names[1]}: ${escapeText(bytes, a + 1, b)}`, a + 1, b)];
  if (b + 1 <= l.end) kids.push(node(`${names[2]}: ${escapeText(bytes, b + 1, l.end)}`, b + 1, l.end));
  return kids;
}

function bodyNode(bytes: Uint8Array, start: number, end: number): DissectNode {
  const kids = looksLikeText(bytes, start, end) ? textLines(bytes, start, end, (l) => lineNode(bytes, l)) : [node(`Data: ${shortHex(bytes, start, end)}`, start, end)];
  return node(`File Data: ${end - start} bytes`, start, end, kids);
}

/** SSH (RFC 4253 §4.2 version line, §6 binary packet: length, padding length, payload, padding). */
function sshNodes(bytes: Uint8Array, start: number, end: number, toServer: boolean): DissectNode[] {
  const out: DissectNode[] = [node(`[Direction: ${toServer ? 'client-to-server' : 'server-to-client'}]`, start, end)];
  for (const p of sshParts(bytes, start, end)) {
    if (p.kind === 'version') {
      const l = lineAt(bytes, p.start, p.end);
      out.push(node(`Protocol: ${escapeText(bytes, l.start, l.end)}`, p.start, p.end));
    } else if (p.kind === 'packet') {
      const len = p.packetLength!;
      const pad = p.paddingLength!;
      const payloadEnd = p.start + 4 + len - pad;
      const kids = [
        node(`Packet Length: ${len}`, p.start, p.start + 4),
        node(`Padding Length: ${pad}`, p.start + 4, p.start + 5),
        node(`Message Code: ${p.label} (${p.code})`, p.start + 5, p.start + 6),
      ];
      if (payloadEnd > p.start + 6) kids.push(node(`Payload: ${shortHex(bytes, p.start + 6, payloadEnd)}`, p.start + 6, payloadEnd));
      kids.push(node(`Padding String: ${shortHex(bytes, payloadEnd, p.end)}`, payloadEnd, p.end));
      out.push(node(`SSH Version 2, ${p.label}`, p.start, p.end, kids));
    } else {
      out.push(node(`Encrypted Packet: ${shortHex(bytes, p.start, p.end)}`, p.start, p.end, [node(`[Length: ${p.end - p.start}]`, p.start, p.end)]));
    }
  }
  return out;
}

const IAC = 255;
const SB = 250;
const SE = 240;

/** TELNET commands (RFC 854, "TELNET COMMAND STRUCTURE"), as Wireshark names them. */
const telnetCommands: Record<number, string> = {
  240: 'Suboption End',
  241: 'No Operation',
  242: 'Data Mark',
  243: 'Break',
  244: 'Interrupt Process',
  245: 'Abort Output',
  246: 'Are You There?',
  247: 'Escape Character',
  248: 'Erase Line',
  249: 'Go Ahead',
};
const telnetVerbs: Record<number, string> = { 251: 'Will', 252: "Won't", 253: 'Do', 254: "Don't" };

/** TELNET options (the IANA registry: RFC 856, 857, 858, 1091, 1073, 1079, 1372, 1184, 1096, 1572). */
const telnetOptions: Record<number, string> = {
  0: 'Binary Transmission',
  1: 'Echo',
  3: 'Suppress Go Ahead',
  5: 'Status',
  6: 'Timing Mark',
  24: 'Terminal Type',
  31: 'Negotiate About Window Size',
  32: 'Terminal Speed',
  33: 'Remote Flow Control',
  34: 'Linemode',
  35: 'X Display Location',
  36: 'Environment Option',
  39: 'New Environment Option',
};

export function telnetOptionName(o: number): string {
  return telnetOptions[o] ?? `Unknown Option (${o})`;
}

/** Data lines, IAC WILL/WONT/DO/DONT <option>, IAC SB ... IAC SE, and the other IAC commands. */
function telnetNodes(bytes: Uint8Array, start: number, end: number): DissectNode[] {
  const out: DissectNode[] = [];
  let dataStart = start;
  const flush = (to: number): void => {
    if (to > dataStart) out.push(...textLines(bytes, dataStart, to, (l) => lineNode(bytes, l, 'Data: ')));
  };
  let i = start;
  while (i < end) {
    if (bytes[i] !== IAC || (i + 1 < end && bytes[i + 1] === IAC)) {
      i += bytes[i] === IAC ? 2 : 1; // IAC IAC is a data octet 255
      continue;
    }
    flush(i);
    if (out.length >= MAX_LINE_NODES) {
      out.push(node(`[… ${end - i} more bytes]`, i, end));
      return out;
    }
    if (i + 1 >= end) {
      out.push(malformed('TELNET command cut short after IAC', i, end));
      return out;
    }
    const cmd = bytes[i + 1]!;
    const verb = telnetVerbs[cmd];
    if (verb) {
      if (i + 2 >= end) {
        out.push(malformed(`TELNET ${verb} without its option`, i, end));
        return out;
      }
      out.push(node(`${verb} ${telnetOptionName(bytes[i + 2]!)}`, i, i + 3));
      i += 3;
    } else if (cmd === SB) {
      let j = i + 2;
      while (j + 1 < end && !(bytes[j] === IAC && bytes[j + 1] === SE)) j++;
      const found = j + 1 < end;
      const optEnd = found ? j + 2 : end;
      const opt = i + 2 < end ? telnetOptionName(bytes[i + 2]!) : 'option missing';
      const kids = i + 3 < j ? [node(`Option data: ${shortHex(bytes, i + 3, found ? j : end)}`, i + 3, found ? j : end)] : [];
      out.push(node(`Suboption ${opt}${found ? '' : ' (continues in the next segment)'}`, i, optEnd, kids));
      i = optEnd;
    } else {
      out.push(node(`Command: ${telnetCommands[cmd] ?? `Unknown (${cmd})`}`, i, i + 2));
      i += 2;
    }
    dataStart = i;
  }
  flush(end);
  return out;
}
