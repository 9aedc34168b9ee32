// Application protocols named by well-known port, as Wireshark's TCP and UDP dissectors hand payload
// to a subdissector (packet-tcp.c decode_tcp_ports, packet-udp.c decode_udp_ports): the lower of the
// two ports is tried first, then the higher. Only segments that carry payload are handed over, so a
// pure ACK, SYN or FIN stays TCP. Ports are the IANA assignments (RFC 959 §5 FTP 21 and FTP data 20,
// RFC 4253 §4.1 SSH 22, RFC 854 TELNET 23, RFC 5321 §4.5.4 SMTP 25, RFC 9110 §4.2.1 HTTP 80,
// RFC 1035 §4.2.1 DNS 53 over UDP).
//
// Stateless by design: one frame, no conversation. Where Wireshark keeps per-stream state (SMTP's
// DATA phase, SSH's switch to encryption after NEWKEYS) these functions guess from the bytes alone,
// and say so. Nothing here throws on any payload.

import { readU32 } from './bytes';

export type TcpAppProtocol = 'FTP' | 'FTP-DATA' | 'SSH' | 'TELNET' | 'SMTP' | 'HTTP';
export type UdpAppProtocol = 'DNS';
export type AppProtocol = TcpAppProtocol | UdpAppProtocol;

export const TCP_APP_PORTS: ReadonlyMap<number, TcpAppProtocol> = new Map([
  [20, 'FTP-DATA'],
  [21, 'FTP'],
  [22, 'SSH'],
  [23, 'TELNET'],
  [25, 'SMTP'],
  [80, 'HTTP'],
]);

export const UDP_APP_PORTS: ReadonlyMap<number, UdpAppProtocol> = new Map([[53, 'DNS']]);

/** Which side is which: the server's port, and whether this frame goes to it. */
export interface AppMatch<P extends string> {
  protocol: P;
  serverPort: number;
  /** true: client -> server (the destination port is the protocol's). */
  toServer: boolean;
}

function match<P extends string>(table: ReadonlyMap<number, P>, srcPort: number, dstPort: number): AppMatch<P> | null {
  // The lower port, then the higher (no array: this runs for every segment with payload the trace writes).
  const low = Math.min(srcPort, dstPort);
  const high = Math.max(srcPort, dstPort);
  let port = low;
  let protocol = table.get(low);
  if (protocol === undefined) protocol = table.get((port = high));
  return protocol === undefined ? null : { protocol, serverPort: port, toServer: dstPort === port };
}

/** The application protocol of a TCP segment's payload by port, or null (stays 'TCP'). */
export function tcpAppProtocol(srcPort: number, dstPort: number): AppMatch<TcpAppProtocol> | null {
  return match(TCP_APP_PORTS, srcPort, dstPort);
}

/** The application protocol of a UDP datagram's payload by port, or null (stays 'UDP'). */
export function udpAppProtocol(srcPort: number, dstPort: number): AppMatch<UdpAppProtocol> | null {
  return match(UDP_APP_PORTS, srcPort, dstPort);
}

// ---- text helpers --------------------------------------------------------------------------------

/** Longest line shown in the Info column or a tree label before it is cut with an ellipsis. */
export const TEXT_LINE_MAX = 160;

/**
 * bytes[start, end) as display text, the way Wireshark's format_text shows it: printable ASCII as is,
 * CR, LF and TAB as \r \n \t, any other octet as \xhh; cut with '…' after `max` characters.
 */
export function escapeText(bytes: Uint8Array, start: number, end: number, max = TEXT_LINE_MAX): string {
  let s = '';
  for (let i = start; i < end; i++) {
    if (s.length >= max) return s + '…';
    const c = bytes[i]!;
    if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else if (c === 0x0d) s += '\\r';
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x09) s += '\\t';
    else s += '\\x' + c.toString(16).padStart(2, '0');
  }
  return s;
}

/** A line of text: [start, end) without its terminator, [start, next) with it (CRLF or LF). */
export interface TextLine {
  start: number;
  end: number;
  next: number;
}

/** The line that starts at `start` (the last one may have no terminator). */
export function lineAt(bytes: Uint8Array, start: number, end: number): TextLine {
  let i = start;
  while (i < end && bytes[i] !== 0x0a) i++;
  if (i >= end) return { start, end, next: end };
  const e = i > start && bytes[i - 1] === 0x0d ? i - 1 : i;
  return { start, end: e, next: i + 1 };
}

/** Up to `max` lines of bytes[start, end). */
export function splitLines(bytes: Uint8Array, start: number, end: number, max = Infinity): TextLine[] {
  const out: TextLine[] = [];
  for (let i = start; i < end && out.length < max; ) {
    const l = lineAt(bytes, i, end);
    out.push(l);
    i = l.next;
  }
  return out;
}

/** Text-like: no control octets other than TAB, LF, CR, FF and ESC (so not a binary file). */
export function looksLikeText(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) return false;
    if (c === 0x7f) return false;
  }
  return true;
}

function startsWith(bytes: Uint8Array, start: number, end: number, prefix: string): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[start + i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/** The index of the first space in [start, end), or end. */
export function wordEnd(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && bytes[i] !== 0x20) i++;
  return i;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

// ---- Info column ---------------------------------------------------------------------------------

/** Wireshark's Info column for the payload bytes[start, end) of a TCP application protocol. */
export function tcpAppInfo(protocol: TcpAppProtocol, bytes: Uint8Array, start: number, end: number, toServer: boolean): string {
  switch (protocol) {
    case 'FTP':
      // packet-ftp.c: the first line, "Request: " to port 21, "Response: " from it.
      return `${toServer ? 'Request' : 'Response'}: ${firstLine(bytes, start, end)}`;
    case 'FTP-DATA':
      return `FTP Data: ${end - start} bytes`;
    case 'SMTP':
      return smtpInfo(bytes, start, end, toServer);
    case 'HTTP':
      return httpInfo(bytes, start, end);
    case 'SSH':
      return `${toServer ? 'Client' : 'Server'}: ${sshParts(bytes, start, end).map((p) => p.label).join(', ')}`;
    case 'TELNET':
      // packet-telnet.c sets this one string for every segment.
      return 'Telnet Data ...';
  }
}

function firstLine(bytes: Uint8Array, start: number, end: number): string {
  const l = lineAt(bytes, start, end);
  return escapeText(bytes, l.start, l.end);
}

/** SMTP commands (RFC 5321 §4.1, RFC 3207 STARTTLS, RFC 4954 AUTH, RFC 3030 BDAT). */
const SMTP_COMMANDS = new Set(['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'VRFY', 'EXPN', 'HELP', 'NOOP', 'QUIT', 'STARTTLS', 'AUTH', 'BDAT', 'TURN', 'ETRN']);

/** Whether an SMTP client line starts with a command (else it is message content after DATA). */
export function isSmtpCommand(bytes: Uint8Array, l: TextLine): boolean {
  const w = wordEnd(bytes, l.start, l.end);
  return w - l.start <= 8 && SMTP_COMMANDS.has(ascii(bytes, l.start, w).toUpperCase());
}

/** The "250-" / "250 " prefix length of a reply line (RFC 5321 §4.2), or 0. */
export function replyCodeLength(bytes: Uint8Array, l: TextLine): number {
  if (l.end - l.start < 3) return 0;
  for (let i = 0; i < 3; i++) {
    const c = bytes[l.start + i]!;
    if (c < 0x30 || c > 0x39) return 0;
  }
  if (l.end - l.start === 3) return 3;
  const sep = bytes[l.start + 3];
  return sep === 0x2d || sep === 0x20 ? 4 : 0;
}

/** Lines joined for the Info column, cut as a whole at about two lines' worth. */
function joinInfo(parts: string[]): string {
  const s = parts.join(' | ');
  return s.length > 2 * TEXT_LINE_MAX ? s.slice(0, 2 * TEXT_LINE_MAX) + '…' : s;
}

/**
 * packet-smtp.c: "C: " and the command lines joined by " | "; "S: " and the reply lines, the code
 * left off all but the first. Wireshark knows from the conversation when the client is sending the
 * message (after DATA); here a client segment whose first line is no command is taken as such.
 */
function smtpInfo(bytes: Uint8Array, start: number, end: number, toServer: boolean): string {
  const lines = splitLines(bytes, start, end, 32);
  if (toServer) {
    if (lines.length === 0 || !isSmtpCommand(bytes, lines[0]!)) return `C: DATA fragment, ${end - start} bytes`;
    return 'C: ' + joinInfo(lines.map((l) => escapeText(bytes, l.start, l.end)));
  }
  return 'S: ' + joinInfo(lines.map((l, i) => escapeText(bytes, i === 0 ? l.start : l.start + replyCodeLength(bytes, l), l.end)));
}

const HTTP_REQUEST = /^[A-Z][A-Z-]{0,19} \S+ HTTP\/\d\.\d$/;
const HTTP_STATUS = /^HTTP\/\d\.\d \d{3}( |$)/;

/** Whether a line is an HTTP/1.x request line or status line (RFC 9112 §3, §4). */
export function isHttpStartLine(bytes: Uint8Array, l: TextLine): boolean {
  if (l.end - l.start > 8192) return false;
  const s = ascii(bytes, l.start, l.end);
  return HTTP_REQUEST.test(s) || HTTP_STATUS.test(s);
}

/**
 * packet-http.c: the request or status line, then "  (media/type)" when the headers in this segment
 * have a Content-Type; a segment that starts with neither is "Continuation" (body bytes).
 */
function httpInfo(bytes: Uint8Array, start: number, end: number): string {
  const first = lineAt(bytes, start, end);
  if (!isHttpStartLine(bytes, first)) return 'Continuation';
  let info = escapeText(bytes, first.start, first.end);
  for (const l of splitLines(bytes, first.next, end, 100)) {
    if (l.end === l.start) break;
    const h = ascii(bytes, l.start, Math.min(l.end, l.start + 200));
    const m = /^content-type:\s*([^;\s]+)/i.exec(h);
    if (m) {
      info += `  (${m[1]!.toLowerCase()})`;
      break;
    }
  }
  return info;
}

/** SSH message codes that travel in the clear before NEWKEYS (RFC 4253 §12, RFC 5656 §7.1). */
export const SSH_CLEAR_MESSAGES: ReadonlyMap<number, string> = new Map([
  [1, 'Disconnect'],
  [2, 'Ignore'],
  [3, 'Unimplemented'],
  [4, 'Debug'],
  [20, 'Key Exchange Init'],
  [21, 'New Keys'],
  [30, 'Elliptic Curve Diffie-Hellman Key Exchange Init'],
  [31, 'Elliptic Curve Diffie-Hellman Key Exchange Reply'],
]);

/** One piece of an SSH segment: the version line, a packet in the clear, or encrypted bytes. */
export interface SshPart {
  kind: 'version' | 'packet' | 'encrypted';
  start: number;
  end: number;
  label: string;
  /** For 'packet': packet_length, padding_length and the message code. */
  packetLength?: number;
  paddingLength?: number;
  code?: number;
}

/**
 * The pieces of an SSH segment (RFC 4253 §4.2 version line, §6 binary packets). Wireshark knows
 * from the conversation whether keys are in force; here a packet counts as clear when its lengths
 * are consistent (4 + packet_length fits, is a multiple of 8, padding >= 4) and its code is one of
 * the key-exchange messages: random ciphertext passes that test with a chance of about 2^-32.
 */
export function sshParts(bytes: Uint8Array, start: number, end: number): SshPart[] {
  const out: SshPart[] = [];
  let i = start;
  if (startsWith(bytes, start, end, 'SSH-')) {
    const l = lineAt(bytes, start, end);
    out.push({ kind: 'version', start, end: l.next, label: `Protocol (${escapeText(bytes, l.start, l.end)})` });
    i = l.next;
  }
  while (i < end) {
    if (end - i >= 6) {
      const len = readU32(bytes, i);
      const pad = bytes[i + 4]!;
      const code = bytes[i + 5]!;
      const name = SSH_CLEAR_MESSAGES.get(code);
      if (name && len <= end - i - 4 && (len + 4) % 8 === 0 && pad >= 4 && pad + 1 < len) {
        out.push({ kind: 'packet', start: i, end: i + 4 + len, label: name, packetLength: len, paddingLength: pad, code });
        i += 4 + len;
        continue;
      }
    }
    out.push({ kind: 'encrypted', start: i, end, label: `Encrypted packet (len=${end - i})` });
    break;
  }
  return out;
}
