// Remembered UI choices (tab, open sections, split sizes) in localStorage. Storage may be
// unavailable (private mode, sandbox, quota): a read then gives null and a write is dropped, so the
// choice just isn't remembered.

export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not remembered: fine.
  }
}
