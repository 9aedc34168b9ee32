// How the heap grows in a process that runs the engine (the desktop app's main process, the web
// host, the CLI, the benchmarks).
//
// A busy lab makes a frame buffer and a few hundred bytes of objects per frame. Many live long
// enough in queues and on cables to be promoted, then die in the old generation, where only a full
// collection frees them. V8 sizes the next full collection's threshold at up to 4x what the last
// one kept alive (MemoryController's dynamic growing factor), so dead frames piled up to more than
// the live set: 1,000 hosts with 500 flows peaked at 437-450 MB of RSS with about 300 MB alive.
// Growing by a fixed 20% holds the peak near the live set (352-354 MB) at the same frames/s (three
// runs each of bench/tcp-star); bulk transfer is unchanged, and setting up 100,000 connections,
// which keeps ~350 MB alive, is ~17% slower.
import { setFlagsFromString } from 'node:v8';

const HEAP_GROWING_PERCENT = 20;

/** Set the engine's heap policy for this process (a V8 flag, read at every full collection). */
export function applyHeapPolicy(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
