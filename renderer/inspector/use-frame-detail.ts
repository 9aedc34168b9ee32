// Loads the selected frame's detail (dissection tree + bytes); the latest selection wins.
import { useEffect, useState } from 'react';
import type { FrameDetail, LabApi } from '../../shared/api/contract';
import { cleanErrorMessage } from '../api';
import { base64ToBytes } from '../util/base64';

export interface LoadedFrame {
  no: number;
  detail: FrameDetail | null;
  bytes: Uint8Array;
  error: string | null;
}

export function useFrameDetail(api: LabApi, no: number | null): LoadedFrame | null {
  const [loaded, setLoaded] = useState<LoadedFrame | null>(null);
  useEffect(() => {
    if (no === null) {
      setLoaded(null);
      return;
    }
    let live = true;
    api.getFrame(no).then(
      (detail) => {
        if (live) setLoaded({ no, detail, bytes: detail ? base64ToBytes(detail.bytesBase64) : new Uint8Array(0), error: detail ? null : `Frame ${no} is not in the trace.` });
      },
      (err) => {
        if (live) setLoaded({ no, detail: null, bytes: new Uint8Array(0), error: `Could not load frame ${no}: ${cleanErrorMessage(err)}` });
      },
    );
    return () => {
      live = false;
    };
  }, [api, no]);
  return loaded && loaded.no === no ? loaded : null;
}
