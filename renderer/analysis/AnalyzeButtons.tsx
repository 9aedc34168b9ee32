// The analyses beside the display filter: Follow TCP Stream of the selected frame, the flow graph,
// and the Conversations and Endpoints tables.
import type { StatsView } from './stats-table';

export interface AnalyzeButtonsProps {
  selectedNo: number | null;
  onFollow(): void;
  onFlowGraph(): void;
  onStatistics(view: StatsView): void;
  onIoGraph(): void;
}

export function AnalyzeButtons(props: AnalyzeButtonsProps) {
  return (
    <div className="analyze-buttons" role="group" aria-label="Analyze">
      <button type="button" className="btn btn-small" data-testid="btn-follow" disabled={props.selectedNo === null} onClick={props.onFollow} title="Follow the TCP stream of the selected frame">
        Follow
      </button>
      <button type="button" className="btn btn-small" data-testid="btn-flow" onClick={props.onFlowGraph} title="Flow graph of the displayed frames (Follow offers one stream's)">
        Flow graph
      </button>
      <button type="button" className="btn btn-small" data-testid="btn-conversations" onClick={() => props.onStatistics('conversations')} title="Conversations: frames and bytes between each pair of addresses or endpoints">
        Conversations
      </button>
      <button type="button" className="btn btn-small" data-testid="btn-io" onClick={props.onIoGraph} title="I/O graph: frames and bytes per interval, all and the display filter's">
        I/O
      </button>
      <button type="button" className="btn btn-small" data-testid="btn-endpoints" onClick={() => props.onStatistics('endpoints')} title="Endpoints: frames and bytes per address or address:port">
        Endpoints
      </button>
    </div>
  );
}
