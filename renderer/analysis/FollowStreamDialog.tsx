// Follow TCP Stream: what each side of one TCP conversation sent, in order, the client in red and
// the server in blue as in Wireshark; ASCII or hex. A block's click selects its first frame.
import { useEffect, useMemo, useState } from 'react';
import type { FollowStream, LabApi } from '../../shared/api';
import { cleanErrorMessage } from '../api';
import { Modal } from '../layout/Modal';
import { base64ToBytes } from '../util/base64';
import { followBlocks, type FollowMode } from './follow-view';

export interface FollowStreamDialogProps {
  api: LabApi;
  /** The stream to follow, or a frame of it. */
  target: { stream: number } | { no: number };
  onSelectFrame(no: number): void;
  /** Show only this stream in the packet list (filter tcp.stream == N). */
  onFilter(filter: string): void;
  onFlowGraph(stream: number): void;
  onClose(): void;
}

export function FollowStreamDialog(props: FollowStreamDialogProps) {
  const { api } = props;
  const no = 'no' in props.target ? props.target.no : null;
  const stream = 'stream' in props.target ? props.target.stream : null;
  const [data, setData] = useState<FollowStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<FollowMode>('ascii');

  useEffect(() => {
    let live = true;
    setData(null);
    setError(null);
    void (async () => {
      try {
        let n = stream;
        if (n === null) {
          const f = await api.getFrame(no!);
          if (!live) return;
          if (!f) return setError(`Frame ${no} is not in the trace.`);
          if (f.tcpStream === undefined) return setError(`Frame ${no} is not part of a TCP stream (Follow TCP Stream needs a TCP frame of the packet list).`);
          n = f.tcpStream;
        }
        const s = await api.followStream(n);
        if (live) setData(s);
      } catch (e) {
        if (live) setError(cleanErrorMessage(e));
      }
    })();
    return () => {
      live = false;
    };
  }, [api, no, stream]);

  const blocks = useMemo(
    () => (data ? followBlocks(data.chunks.map((c) => ({ fromServer: c.fromServer, no: c.no, data: base64ToBytes(c.dataBase64), ...(c.missing !== undefined ? { missing: c.missing } : {}) })), mode) : []),
    [data, mode],
  );

  const title = data ? `Follow TCP Stream (tcp.stream eq ${data.stream})` : 'Follow TCP Stream';
  return (
    <Modal title={title} testId="follow-dialog" className="follow-dialog" onClose={props.onClose}>
      {error && <div className="mp-error pad">{error}</div>}
      {!data && !error && <div className="pad muted">Reading the stream…</div>}
      {data && (
        <>
          <div className="follow-head">
            <span className="follow-client" data-testid="follow-client">
              {data.client} → {data.server}: {data.clientBytes} bytes
            </span>
            <span className="follow-server" data-testid="follow-server">
              {data.server} → {data.client}: {data.serverBytes} bytes
            </span>
            <span className="muted">{data.frameCount} frames</span>
          </div>
          <div className="follow-text" data-testid="follow-text" data-mode={mode}>
            {blocks.length === 0 && <div className="muted pad">No payload in this stream.</div>}
            {blocks.map((b, i) => (
              <pre
                key={i}
                className={b.fromServer ? 'follow-block server' : 'follow-block client'}
                title={`${b.fromServer ? 'Server' : 'Client'}: ${b.bytes} bytes in frame${b.nos.length > 1 ? 's' : ''} ${b.nos.join(', ')} (click to select frame ${b.nos[0]})`}
                onClick={() => props.onSelectFrame(b.nos[0]!)}
              >
                {b.text}
              </pre>
            ))}
            {data.truncated && <div className="dialog-note">Only the first 4 MiB of the stream are shown.</div>}
          </div>
          <div className="follow-foot">
            <label>
              Show as{' '}
              <select value={mode} data-testid="follow-mode" onChange={(e) => setMode(e.target.value as FollowMode)}>
                <option value="ascii">ASCII</option>
                <option value="hex">Hex dump</option>
              </select>
            </label>
            <span className="spacer" />
            <button type="button" className="btn" data-testid="follow-flow" onClick={() => props.onFlowGraph(data.stream)}>
              Flow graph
            </button>
            <button type="button" className="btn" data-testid="follow-filter" onClick={() => props.onFilter(`tcp.stream == ${data.stream}`)}>
              Filter this stream
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}
