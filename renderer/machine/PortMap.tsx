// The port map: one scale per IANA range (well-known, registered, dynamic) with Linux's ephemeral
// range laid over registered and dynamic, a mark per port in use coloured by its state, and the
// exact port numbers as chips underneath.
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MachineState } from '../../shared/api';
import { CATEGORY_LABEL, DEFAULT_EPHEMERAL, placeMarks, portRanges, portUses, type PortCategory, type RangeView } from './ports';

export interface PortMapProps {
  state: MachineState;
  onShowPort(port: number): void;
}

const LEGEND: PortCategory[] = ['listen', 'established', 'other', 'timewait', 'udp'];
const LANES = 3;
const MARK_PX = 8;

export const PortMap = memo(function PortMap({ state, onShowPort }: PortMapProps) {
  const ephemeral = state.ephemeral ?? DEFAULT_EPHEMERAL;
  const ranges = useMemo(() => portRanges(portUses(state.sockets, ephemeral), ephemeral), [state.sockets, ephemeral]);
  const total = ranges.reduce((n, r) => n + r.uses.length, 0);
  return (
    <div className="kv-scroll port-map" data-testid="port-map">
      <div className="port-legend">
        {LEGEND.map((c) => (
          <span key={c} className="port-legend-item">
            <span className={`port-swatch cat-${c}`} aria-hidden="true" />
            {CATEGORY_LABEL[c]}
          </span>
        ))}
        <span className="port-legend-item">
          <span className="port-swatch eph" aria-hidden="true" />
          ephemeral {ephemeral[0]}–{ephemeral[1]} <span className="muted">(ip_local_port_range)</span>
        </span>
      </div>
      {total === 0 && <div className="muted port-none">No TCP or UDP ports in use on {state.machine}.</div>}
      {ranges.map((r) => (
        <RangeRow key={r.spec.id} view={r} ephemeral={ephemeral} onShowPort={onShowPort} />
      ))}
    </div>
  );
});

function RangeRow({ view, ephemeral, onShowPort }: { view: RangeView; ephemeral: readonly [number, number]; onShowPort(port: number): void }) {
  const { spec, uses, band } = view;
  const scaleRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(400);
  useLayoutEffect(() => {
    const el = scaleRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth || 400));
    ro.observe(el);
    setWidth(el.clientWidth || 400);
    return () => ro.disconnect();
  }, []);
  const placed = useMemo(() => placeMarks(uses, spec, (MARK_PX + 2) / Math.max(width, 50), LANES), [uses, spec, width]);
  const lanes = Math.max(1, ...placed.map((p) => p.lane + 1));
  return (
    <section className={`port-range range-${spec.id}`} aria-label={`${spec.name} ports ${spec.lo}–${spec.hi}`} data-range={spec.id}>
      <div className="port-range-head">
        <b>{spec.name}</b>
        <span className="mono">
          {spec.lo}–{spec.hi}
        </span>
        <span className="muted">{uses.length === 0 ? 'none in use' : `${uses.length} in use`}</span>
      </div>
      <div className="port-range-main">
        <div className="port-scale" ref={scaleRef} style={{ height: 6 + lanes * 10 }}>
          {band && (
            <div
              className="port-eph-band"
              style={{ left: `${band.from * 100}%`, width: `${(band.to - band.from) * 100}%` }}
              title={`Ephemeral range ${ephemeral[0]}–${ephemeral[1]}: connect() and bind(0) pick local ports here`}
            />
          )}
          {placed.map(({ use, x, lane }) => (
            <button
              type="button"
              key={use.port}
              className={`port-mark cat-${use.category}`}
              data-testid="port-mark"
              data-port={use.port}
              data-category={use.category}
              style={{ left: `calc(${x * 100}% - ${MARK_PX / 2}px)`, top: 2 + lane * 10 }}
              title={use.title}
              aria-label={use.title}
              onClick={() => onShowPort(use.port)}
            />
          ))}
        </div>
        {uses.length > 0 && (
          <div className="port-chips">
            {uses.map((u) => (
              <button type="button" key={u.port} className={`port-chip cat-${u.category}`} data-testid="port-chip" data-port={u.port} title={u.title} onClick={() => onShowPort(u.port)}>
                {u.port}
                {u.count > 1 && <span className="port-count">×{u.count}</span>}
              </button>
            ))}
          </div>
        )}
      </div>
    </section>
  );
}
