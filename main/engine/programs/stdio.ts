// Small helpers every program uses: print to stdout/stderr through write(2).
import { sys, type Sys } from '../process';

export function* out(text: string): Sys<void> {
  yield* sys.write(1, text);
}

export function* err(text: string): Sys<void> {
  yield* sys.write(2, text);
}
