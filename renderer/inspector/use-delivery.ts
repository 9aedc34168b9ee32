// Loads how the selected frame was delivered. A frame is listed when it is captured on the wire,
// which can be before it reaches the receiving machine's stack: while the answer is empty, it is
// asked again on status events (at most once a second).
import { useEffect, useRef, useState } from 'react';
import type { Delivery, LabApi, LabStatus } from '../../shared/api';
import { cleanErrorMessage } from '../api';
import { browserClock, RefreshGate } from '../util/refresh-gate';

export interface LoadedDelivery {
  no: number;
  list: Delivery[] | null;
  error: string | null;
}

export function useDelivery(api: LabApi, no: number | null, status: LabStatus | null): LoadedDelivery | null {
  const [loaded, setLoaded] = useState<LoadedDelivery | null>(null);
  const gate = useRef<RefreshGate | null>(null);
  const empty = useRef(true);
  const seenTime = useRef<number | undefined>(undefined);
  const timeNs = status?.timeNs;
  const timeNow = useRef(timeNs);
  timeNow.current = timeNs;

  useEffect(() => {
    if (no === null) {
      gate.current = null;
      return;
    }
    let live = true;
    empty.current = true;
    const g = new RefreshGate(
      () =>
        api.getDelivery(no).then(
          (list) => {
            if (!live) return;
            empty.current = list.length === 0;
            setLoaded({ no, list, error: null });
          },
          (err: unknown) => {
            if (live) setLoaded({ no, list: null, error: cleanErrorMessage(err) });
          },
        ),
      1000,
      browserClock,
    );
    gate.current = g;
    seenTime.current = timeNow.current;
    g.request(true);
    return () => {
      live = false;
      g.dispose();
      if (gate.current === g) gate.current = null;
    };
  }, [api, no]);

  useEffect(() => {
    if (timeNs === seenTime.current) return;
    seenTime.current = timeNs;
    if (empty.current) gate.current?.request();
  }, [timeNs]);

  return loaded && loaded.no === no ? loaded : null;
}
