// Command-line options of the browser-mode host (`npm run web -- --lab F --db F --trace F --port N ...`).

/** The value after `name` in argv; undefined when the option is not given. Given without a value, it is an error naming it. */
export function optionOf(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

/** --port's value as a TCP port (0: any free one); anything else is an error naming the option. */
export function portOf(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new Error(`--port: "${value}" is not a port number (0-65535)`);
  return port;
}
