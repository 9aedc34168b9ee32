// Command-line options of the browser-mode host (`npm run web -- --lab F --db F --trace F --port N ...`).

/** The value after `name` in argv; undefined when the option is not given. Given without a value, it is an error naming it. */
export function optionOf(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}
