// Small stroke icons for buttons. SVG adds no text, so button text stays exactly "Run", "Pause"...
const PATHS = {
  open: 'M2 4.5h4l1.5 1.5H14v7.5H2z',
  save: 'M3 2.5h8l2.5 2.5v8.5h-10.5zM5 2.5v3.5h5v-3.5M5 13.5v-4h6v4',
  run: 'M4.5 3l8 5-8 5z',
  pause: 'M5 3v10M11 3v10',
  step: 'M3.5 3l6.5 5-6.5 5zM12.5 3v10',
  reset: 'M3.5 8a4.5 4.5 0 1 0 1.4-3.3M3.5 2.5v3h3',
  download: 'M8 2.5v8M4.5 7l3.5 3.5L11.5 7M3 13.5h10',
  terminal: 'M2.5 3.5h11v9h-11zM5 6.5l2 1.5-2 1.5M8.5 10h2.5',
  close: 'M4.5 4.5l7 7M11.5 4.5l-7 7',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, filled = false }: { name: IconName; filled?: boolean }) {
  return (
    <svg className="icon" width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path
        d={PATHS[name]}
        fill={filled ? 'currentColor' : 'none'}
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
