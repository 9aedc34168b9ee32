// "How it was delivered": for the selected frame, each receiving machine's socket lookup as a
// pipeline (established -> listener -> wildcard listener -> socket / no socket -> RST or ICMP),
// the socket it reached, its queue, state change, drop reason, the kernel's reply and a summary.
import { memo, useState } from 'react';
import type { Delivery, LabApi, LabStatus } from '../../shared/api';
import { readStored, writeStored } from '../util/storage';
import { deliveryView, NO_DELIVERY, type DeliveryView } from './delivery';
import { useDelivery } from './use-delivery';

export interface DeliverySectionProps {
  api: LabApi;
  selectedNo: number | null;
  status: LabStatus | null;
  onShowSocket(d: Delivery): void;
}

const OPEN_KEY = 'inspector:delivery-open';

function loadOpen(): boolean {
  return readStored(OPEN_KEY) !== '0';
}

export const DeliverySection = memo(function DeliverySection({ api, selectedNo, status, onShowSocket }: DeliverySectionProps) {
  const [open, setOpen] = useState(loadOpen);
  const loaded = useDelivery(api, open ? selectedNo : null, status);
  const toggle = () => {
    setOpen(!open);
    writeStored(OPEN_KEY, open ? '0' : '1');
  };
  const count = loaded?.list?.length;
  return (
    <section className={open ? 'delivery-section open' : 'delivery-section'} aria-label="How it was delivered" data-testid="delivery">
      <button type="button" className="delivery-head" aria-expanded={open} onClick={toggle} data-testid="delivery-toggle">
        <span className={open ? 'twisty open' : 'twisty'} aria-hidden="true" />
        How it was delivered
        {open && count !== undefined && count > 0 && <span className="muted"> · {count === 1 ? loaded!.list![0].machine : `${count} machines`}</span>}
      </button>
      {open && (
        <div className="delivery-body">
          {selectedNo === null ? (
            <div className="muted">Select a packet to see which socket took it, or why it was dropped.</div>
          ) : !loaded ? (
            <div className="muted">Loading…</div>
          ) : loaded.error ? (
            <div className="muted">Delivery record unavailable: {loaded.error}</div>
          ) : loaded.list && loaded.list.length > 0 ? (
            loaded.list.map((d, i) => <DeliveryCard key={`${i}:${d.machine}`} d={d} view={deliveryView(d, i)} onShowSocket={onShowSocket} />)
          ) : (
            <div className="muted" data-testid="delivery-empty">
              {NO_DELIVERY}
            </div>
          )}
        </div>
      )}
    </section>
  );
});

function DeliveryCard({ d, view, onShowSocket }: { d: Delivery; view: DeliveryView; onShowSocket(d: Delivery): void }) {
  return (
    <div className={`delivery-card tone-${view.tone}`} data-testid="delivery-card" data-machine={view.machine}>
      <div className="delivery-title">
        <b>{view.machine}</b> <span className="muted">received it · {view.protocol.toUpperCase()} · {view.at}</span>
      </div>
      <ol className="delivery-pipeline" aria-label="Socket lookup">
        {view.steps.map((s) => (
          <li key={s.key} className={`delivery-step ${s.status}`} data-testid="delivery-step" data-table={s.table} data-status={s.status} title={s.title}>
            <span className="step-head">
              <span className="step-table">{s.label}</span>
              {s.status !== 'skipped' && <span className="step-result">{s.status}</span>}
            </span>
            {s.detail && <span className="step-key mono">{s.detail}</span>}
          </li>
        ))}
        <li className={`delivery-step outcome ${view.outcome.kind}`} data-testid="delivery-outcome" data-outcome={view.outcome.kind}>
          <span className="step-head">
            <span className="step-table">{view.outcome.label}</span>
          </span>
          {view.outcome.kind !== 'socket' && view.outcome.reply && <span className="step-key reply">→ {view.outcome.reply}</span>}
          {view.socket && <span className="step-key">{view.socket.state}</span>}
        </li>
      </ol>
      {view.socket && (
        <button
          type="button"
          className="delivery-socket"
          data-testid="delivery-socket"
          data-inode={view.socket.inode}
          title={`Show it in ${view.machine}'s socket table`}
          onClick={() => onShowSocket(d)}
        >
          <span className="ds-what">{view.socket.what}</span>
          <span className={`state-pill st-${d.socket!.state.toLowerCase()}`}>{view.socket.state}</span>
          <span className="mono">
            {view.socket.local} ↔ {view.socket.peer}
          </span>
          {view.socket.owners ? (
            <span className="ds-owners">{view.socket.owners}</span>
          ) : (
            <span className="muted">{view.socket.noOwnerNote}</span>
          )}
        </button>
      )}
      {(view.queue || view.stateChange || view.reply) && (
        <div className="delivery-facts">
          {view.queue && (
            <span data-testid="delivery-queue">
              <span className="fact-name">Queue</span> {view.queue}
            </span>
          )}
          {view.stateChange && (
            <span data-testid="delivery-state">
              <span className="fact-name">State</span> <span className="mono">{view.stateChange}</span>
            </span>
          )}
          {view.reply && (
            <span data-testid="delivery-reply">
              <span className="fact-name">Reply</span> {view.reply}
            </span>
          )}
        </div>
      )}
      {view.drop && (
        <div className="delivery-drop" data-testid="delivery-drop">
          <span className="fact-name">Dropped</span> <code>{view.drop.reason}</code> {view.drop.text}
        </div>
      )}
      <div className="delivery-summary">{view.summary}</div>
    </div>
  );
}
