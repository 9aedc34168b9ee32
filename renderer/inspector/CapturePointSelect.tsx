// Which capture point the packet list shows: each frame once where it was first captured (the
// default), or what one machine's NICs, or one NIC, captured (a tcpdump there), like choosing the
// interface in Wireshark. The choices are the trace's capture points, read when the list opens.
import { useCallback, useState } from 'react';
import type { CapturePointRef, LabApi } from '../../shared/api';
import { cleanErrorMessage } from '../api';

export type CapturePoint = CapturePointRef | null;

export const pointKey = (p: CapturePoint): string => (p ? (p.nic ? `${p.machine}:${p.nic}` : p.machine) : '');

export function CapturePointSelect(props: { api: LabApi; value: CapturePoint; onChange(p: CapturePoint): void }) {
  const [points, setPoints] = useState<{ machine: string; nic: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    props.api.capturePoints().then(
      (p) => {
        setPoints(p);
        setError(null);
      },
      (e: unknown) => {
        setPoints([]);
        setError(`Could not read the capture points: ${cleanErrorMessage(e)}`);
      },
    );
  }, [props.api]);
  const machines = [...new Set(points.map((p) => p.machine))].sort();
  const key = pointKey(props.value);
  const known = key === '' || points.some((p) => p.machine === key || `${p.machine}:${p.nic}` === key);
  return (
    <select
      className="point-select"
      data-testid="point-select"
      aria-label="Capture point"
      title={error ?? 'Capture point: each frame once where it was first seen, or everything one machine or one NIC captured'}
      value={key}
      onFocus={load}
      // A click on a closed list focuses it first (onFocus loads); a later click on the focused
      // list reads the capture points again, as the trace may have grown since.
      onMouseDown={(e) => {
        if (document.activeElement === e.currentTarget) load();
      }}
      onChange={(e) => {
        const v = e.target.value;
        if (v === '') return props.onChange(null);
        const i = v.indexOf(':');
        props.onChange(i < 0 ? { machine: v } : { machine: v.slice(0, i), nic: v.slice(i + 1) });
      }}
    >
      <option value="">Each frame once</option>
      {!known && <option value={key}>{key}</option>}
      {error && (
        <option value="#points-error" disabled>
          {error}
        </option>
      )}
      {machines.map((m) => (
        <optgroup key={m} label={m}>
          <option value={m}>{m} (all NICs)</option>
          {points
            .filter((p) => p.machine === m)
            .map((p) => (
              <option key={p.nic} value={`${m}:${p.nic}`}>
                {m}:{p.nic}
              </option>
            ))}
        </optgroup>
      ))}
    </select>
  );
}
