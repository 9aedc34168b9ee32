// Routes `console` events to terminals by consoleId. Output can arrive before the terminal for a
// session exists (the shell prints its prompt while openConsole is still returning), so output for
// an unknown id is buffered (bounded) until a sink attaches.

export type ConsoleSink = (data: string) => void;

export class ConsoleRouter {
  private readonly sinks = new Map<string, ConsoleSink>();
  private readonly buffers = new Map<string, string[]>();
  private readonly closed = new Set<string>();

  constructor(
    private readonly maxBufferedChars = 256 * 1024,
    private readonly maxBufferedSessions = 32,
  ) {}

  write(consoleId: string, data: string): void {
    const sink = this.sinks.get(consoleId);
    if (sink) {
      sink(data);
      return;
    }
    if (this.closed.has(consoleId)) return;
    let buf = this.buffers.get(consoleId);
    if (!buf) {
      if (this.buffers.size >= this.maxBufferedSessions) {
        const oldest = this.buffers.keys().next().value;
        if (oldest !== undefined) this.buffers.delete(oldest);
      }
      buf = [];
      this.buffers.set(consoleId, buf);
    }
    buf.push(data);
    let total = buf.reduce((n, s) => n + s.length, 0);
    while (total > this.maxBufferedChars && buf.length > 1) total -= buf.shift()!.length;
  }

  /** Attaches a sink and flushes anything buffered for it; returns the detach function. */
  attach(consoleId: string, sink: ConsoleSink): () => void {
    this.closed.delete(consoleId);
    this.sinks.set(consoleId, sink);
    const buf = this.buffers.get(consoleId);
    this.buffers.delete(consoleId);
    if (buf) for (const chunk of buf) sink(chunk);
    return () => {
      if (this.sinks.get(consoleId) === sink) this.sinks.delete(consoleId);
    };
  }

  /** The session is gone: drop its buffer and ignore late output. */
  forget(consoleId: string): void {
    this.sinks.delete(consoleId);
    this.buffers.delete(consoleId);
    this.closed.add(consoleId);
  }

  bufferedFor(consoleId: string): string {
    return (this.buffers.get(consoleId) ?? []).join('');
  }
}
