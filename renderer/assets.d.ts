// Stylesheets are imported for their side effect; vite bundles them.
declare module '*.css';

// Vite's build-time file globbing (used for the example gallery's lab files).
interface ImportMeta {
  glob(pattern: string, options: { query: '?raw'; import: 'default'; eager: true }): Record<string, string>;
}
