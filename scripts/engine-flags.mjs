// V8 flags for every process that runs the engine, given at its start: the young generation's size
// is fixed when the heap is set up (main/service/heap-policy.ts sets what can change at run time).
// 4 MB semi-spaces instead of 16 keep less of the heap committed while a busy lab churns frames:
// tcp-star (1,000 hosts, 500 flows) peaked at 323-328 MB of RSS instead of 352-373, at ~20% fewer
// frames/s (more scavenges). In Electron, Chromium passes --js-flags to the renderers as well; their
// heaps are small and this costs them nothing visible.
export const ENGINE_V8_FLAGS = ['--max-semi-space-size=4'];
/** Electron's form of them (npm start, the Electron e2e): its main process reads V8 flags from --js-flags. */
export const ELECTRON_JS_FLAGS = `--js-flags=${ENGINE_V8_FLAGS.join(' ')}`;
