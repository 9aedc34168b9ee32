// Machine icons as SVG data URIs (CSP allows img-src data:). 48x48, flat, one accent colour each.
import type { MachineKind } from '../../shared/lab/types';

const svg = (body: string): string =>
  'data:image/svg+xml;charset=utf-8,' +
  encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">${body}</svg>`);

const ICONS: Record<MachineKind, string> = {
  // A monitor on a stand.
  host: svg(
    '<rect x="5" y="7" width="38" height="26" rx="3" fill="#3f5873"/>' +
      '<rect x="8.5" y="10.5" width="31" height="19" rx="1.5" fill="#cfe3f7"/>' +
      '<path d="M20 33h8l1.5 6h-11z" fill="#3f5873"/><rect x="13" y="39" width="22" height="3" rx="1.5" fill="#3f5873"/>',
  ),
  // A tower with drive bays and status lights.
  server: svg(
    '<rect x="11" y="3" width="26" height="42" rx="3" fill="#5b4a8b"/>' +
      '<rect x="15" y="8" width="18" height="5" rx="1" fill="#e3dcf5"/><rect x="15" y="16" width="18" height="5" rx="1" fill="#e3dcf5"/>' +
      '<rect x="15" y="24" width="18" height="5" rx="1" fill="#e3dcf5"/>' +
      '<circle cx="18" cy="38" r="2" fill="#7ee08a"/><circle cx="24" cy="38" r="2" fill="#f5c451"/>',
  ),
  // The classic router puck: a cylinder with four arrows.
  router: svg(
    '<ellipse cx="24" cy="31" rx="20" ry="9" fill="#1d5fa8"/><rect x="4" y="22" width="40" height="9" fill="#1d5fa8"/>' +
      '<ellipse cx="24" cy="22" rx="20" ry="9" fill="#3b82d6"/>' +
      '<g fill="#fff"><path d="M24 14.5l4 3h-2.6v3h-2.8v-3H20z"/><path d="M24 29.5l4-3h-2.6v-3h-2.8v3H20z"/>' +
      '<path d="M9.5 22l4.5-3v2h5v2h-5v2z"/><path d="M38.5 22l-4.5-3v2h-5v2h5v2z"/></g>',
  ),
  // A flat box with crossing arrows.
  switch: svg(
    '<rect x="3" y="13" width="42" height="22" rx="4" fill="#15807a"/>' +
      '<g fill="#fff"><path d="M9 20h21v-3.5l6 5-6 5V23H9z"/><path d="M39 28H18v3.5l-6-5 6-5V25h21z"/></g>',
  ),
  // A flat box with a row of ports.
  hub: svg(
    '<rect x="3" y="14" width="42" height="20" rx="4" fill="#8a6a1f"/>' +
      '<g fill="#fbe9b7"><rect x="8" y="21" width="5" height="6" rx="1"/><rect x="16" y="21" width="5" height="6" rx="1"/>' +
      '<rect x="24" y="21" width="5" height="6" rx="1"/><rect x="32" y="21" width="5" height="6" rx="1"/></g>',
  ),
};

export function iconFor(kind: MachineKind): string {
  return ICONS[kind] ?? ICONS.host;
}
