// Around the parts loaded after the first paint (lazy-parts.ts): a part whose chunk cannot be
// loaded (the app rebuilt under an open browser tab, a file gone) is named in its place, with a
// reload, instead of React unmounting the whole window. Any other error thrown while rendering
// the part is named as a failure. Give each part its own `key` so another part starts afresh.
import { Component, type ReactNode } from 'react';

/** What a browser says when an import()ed chunk cannot be fetched (Chromium, Firefox, Safari). */
const CHUNK_FAILED = /dynamically imported module|error loading dynamically imported|importing a module script failed/i;

export class LoadBoundary extends Component<{ what: string; children: ReactNode; onDismiss?: () => void }, { error: string | null }> {
  override state: { error: string | null } = { error: null };

  static getDerivedStateFromError(e: unknown): { error: string } {
    return { error: e instanceof Error ? e.message : String(e) };
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="load-failed" role="alert" data-testid="load-failed">
        <span>
          The {this.props.what} {CHUNK_FAILED.test(this.state.error) ? 'could not be loaded' : 'failed'} ({this.state.error}).
        </span>
        <button type="button" className="btn btn-small" onClick={() => globalThis.location.reload()}>
          Reload
        </button>
        {this.props.onDismiss && (
          <button type="button" className="btn btn-small" onClick={this.props.onDismiss}>
            Close
          </button>
        )}
      </div>
    );
  }
}
