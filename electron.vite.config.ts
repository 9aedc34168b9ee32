import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// The design card's folders (main/, main/preload/, renderer/) need explicit inputs (SETUP.md).
export default defineConfig({
  main: {
    build: {
      // The trace's writer and checkpoint threads are their own entries: out/main/trace-writer.js and
      // trace-checkpoint.js (main/trace/writer-host.ts).
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'main/app/index.ts'),
          'trace-writer': resolve(__dirname, 'main/trace/writer-thread.ts'),
          'trace-checkpoint': resolve(__dirname, 'main/trace/checkpoint-thread.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: resolve(__dirname, 'main/preload/index.ts'),
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      minify: true,
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
