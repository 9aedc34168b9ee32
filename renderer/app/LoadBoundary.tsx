// Around the parts loaded after the first paint (lazy-parts.ts): a part whose chunk cannot be
// loaded (the app rebuilt under an open browser tab, a file gone) is named in its place, with a
// reload, instead of React unmounting the whole window.
import { Component, type ReactNode } from 'react';

export class LoadBoundary extends Component<{ what: string; children: ReactNode }, { error: string | null }> {
  override state: { error: string | null } = { error: null };

  static getDerivedStateFromError(e: unknown): { error: string } {
    return { error: e instanceof Error ? e.message : String(e) };
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="load-failed" role="alert" data-testid="load-failed">
        <span>
          The {this.props.what} could not be loaded ({this.state.error}).
        </span>
        <button type="button" className="btn btn-small" onClick={() => globalThis.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
