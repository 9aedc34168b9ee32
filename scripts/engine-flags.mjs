// V8 flags for every process that runs the engine, given at its start: the young generation's size
// is fixed when the heap is set up (main/service/heap-policy.ts sets what can change at run time).
// A busy lab promotes most of what it allocates anyway (frames wait in queues and on cables), so
// 4 MB semi-spaces instead of 16 cost ~20% of frames/s and keep ~24 MB less committed: tcp-star
// peaks at 316-329 MB of RSS instead of 352-373 (bench/tcp-star, 1,000 hosts, 500 flows).
export const ENGINE_V8_FLAGS = ['--max-semi-space-size=4'];
