// Browser mode is reachable only from this machine and only with the per-start token: the printed
// URL carries it (?token=...); the first page load turns it into an HttpOnly, SameSite=Strict
// cookie so the page's own assets and WebSocket carry it without putting it in every URL.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE = 'packetlab_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE && v) return v;
  }
  return undefined;
}

export type AuthResult = { ok: true; viaQuery: boolean } | { ok: false; status: number; reason: string };

/** Check Host (against DNS rebinding), then the token from the query or the cookie. */
export function authorize(req: IncomingMessage, token: string, port: number): AuthResult {
  const host = req.headers.host ?? '';
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return { ok: false, status: 421, reason: `unexpected Host header "${host.slice(0, 100)}"` };
  }
  const url = new URL(req.url ?? '/', `http://${host}`);
  const q = url.searchParams.get('token');
  if (q !== null && same(q, token)) return { ok: true, viaQuery: true };
  const c = cookieToken(req);
  if (c !== undefined && same(c, token)) return { ok: true, viaQuery: false };
  return { ok: false, status: 403, reason: 'missing or wrong token: open the URL that `npm run web` printed' };
}

/** A WebSocket upgrade must also come from our own page (or a non-browser client with the token). */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}
