// The window: toolbar, banners, then topology + consoles (left) and packets + details + bytes (right).
import { useCallback, useMemo, useState } from 'react';
import type { FrameRow } from '../../shared/trace/frame-row';
import { getLabApi } from '../api';
import { MachineList } from '../canvas/MachineList';
import { TopologyCanvas } from '../canvas/TopologyCanvas';
import { FrameInspector } from '../inspector/FrameInspector';
import { PacketList } from '../inspector/PacketList';
import { Split } from '../layout/Split';
import { ConsolePanel } from '../machine/ConsolePanel';
import { ConsoleRouter } from '../machine/console-router';
import { useConsoles } from '../machine/use-consoles';
import { Toolbar } from '../toolbar/Toolbar';
import { ActionError, ConnectionBanner, LabErrorsPanel } from './Banners';
import { useLab } from './use-lab';

export function App() {
  const client = useMemo(() => getLabApi(), []);
  const router = useMemo(() => new ConsoleRouter(), []);
  const [view, actions] = useLab(client, router);
  const { api } = client;
  const doc = view.state?.doc ?? null;
  const consoles = useConsoles(api, router, doc, view.labEpoch, actions.reportError);
  const [selectedMachine, setSelectedMachine] = useState<string | null>(null);
  const [selected, setSelected] = useState<{ no: number; epoch: number } | null>(null);
  const selectedNo = selected && selected.epoch === view.epoch ? selected.no : null;
  const epoch = view.epoch;
  const onSelectRow = useCallback((row: FrameRow) => setSelected({ no: row.no, epoch }), [epoch]);

  return (
    <div className="app">
      <Toolbar
        status={view.status}
        connection={view.connection}
        onOpenFile={actions.openFile}
        onSave={actions.save}
        onToggleRun={actions.toggleRun}
        onStep={actions.step}
        onReset={actions.reset}
        onSpeed={actions.setSpeed}
        onExport={actions.exportCapture}
      />
      <ConnectionBanner connection={view.connection} missingToken={client.missingToken} onRetry={client.retryNow} />
      <ActionError message={view.actionError} onDismiss={actions.dismissActionError} />
      <LabErrorsPanel report={view.labErrors} onDismiss={actions.dismissLabErrors} />
      <main className="workspace">
        <Split direction="row" initial={0.48} storageKey="main" minFirst={320} minSecond={420} label="Resize topology and packets">
          <Split direction="column" initial={0.6} storageKey="left" minFirst={160} minSecond={120} label="Resize topology and consoles">
            <section className="topology" aria-label="Topology">
              <MachineList doc={doc} selected={selectedMachine} onSelect={setSelectedMachine} onOpenConsole={consoles.open} />
              <TopologyCanvas doc={doc} selected={selectedMachine} onSelect={setSelectedMachine} onMove={actions.moveMachine} onOpenConsole={consoles.open} />
            </section>
            <ConsolePanel consoles={consoles} api={api} router={router} />
          </Split>
          <Split direction="column" initial={0.42} storageKey="right" minFirst={120} minSecond={160} label="Resize packets and details">
            <PacketList api={api} total={view.status?.frameCount ?? 0} epoch={view.epoch} selectedNo={selectedNo} onSelect={onSelectRow} onError={actions.reportError} />
            <FrameInspector api={api} selectedNo={selectedNo} />
          </Split>
        </Split>
      </main>
    </div>
  );
}
