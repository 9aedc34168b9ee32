// How a failure is named in messages: the errno code (ENOENT, EACCES...) when there is one, else the message.
export function reason(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}
