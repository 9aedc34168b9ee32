// The window: toolbar, banners, then topology + the selected machine's kernel + consoles (left) and
// packets + details (with how each frame was delivered) + bytes (right).
import { useCallback, useMemo, useRef, useState } from 'react';
import type { Delivery } from '../../shared/api';
import type { FrameRow } from '../../shared/trace/frame-row';
import { getLabApi } from '../api';
import { hasConsole } from '../canvas/elements';
import { MachineList } from '../canvas/MachineList';
import { TopologyCanvas } from '../canvas/TopologyCanvas';
import { FrameInspector } from '../inspector/FrameInspector';
import { PacketList } from '../inspector/PacketList';
import { Split } from '../layout/Split';
import { ConsolePanel } from '../machine/ConsolePanel';
import { MachinePanel, type SocketFocus } from '../machine/MachinePanel';
import { ServicesDialog } from '../machine/ServicesDialog';
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
  // The Machine panel keeps showing the last machine selected (clicking the empty canvas clears
  // the selection, not the panel); it empties when that machine leaves the lab.
  const [panelMachineRaw, setPanelMachine] = useState<string | null>(null);
  const panelDoc = doc?.machines.find((m) => m.id === panelMachineRaw) ?? null;
  const panelMachine = panelDoc ? panelDoc.id : null;
  const [focus, setFocus] = useState<SocketFocus | null>(null);
  const focusSeq = useRef(0);
  const selectMachine = useCallback((machine: string | null) => {
    setSelectedMachine(machine);
    if (machine !== null) setPanelMachine(machine);
  }, []);
  const showSocket = useCallback(
    (d: Delivery) => {
      if (!d.socket) return;
      selectMachine(d.machine);
      setFocus({ machine: d.machine, ref: d.socket, proto: d.protocol, seq: ++focusSeq.current });
    },
    [selectMachine],
  );
  // The Services dialog's machine (it closes when that machine leaves the lab).
  const [servicesForRaw, setServicesFor] = useState<string | null>(null);
  const servicesDoc = doc?.machines.find((m) => m.id === servicesForRaw && hasConsole(m.kind)) ?? null;
  const openServices = useCallback((machine: string) => setServicesFor(machine), []);
  const closeServices = useCallback(() => setServicesFor(null), []);
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
          <Split direction="column" initial={0.38} storageKey="left-topology" minFirst={140} minSecond={230} label="Resize topology and machine">
            <section className="topology" aria-label="Topology">
              <MachineList doc={doc} selected={selectedMachine} onSelect={selectMachine} onOpenConsole={consoles.open} />
              <TopologyCanvas doc={doc} selected={selectedMachine} onSelect={selectMachine} onMove={actions.moveMachine} onOpenConsole={consoles.open} onOpenServices={openServices} />
            </section>
            <Split direction="column" initial={0.56} storageKey="left-machine" minFirst={110} minSecond={110} label="Resize machine and consoles">
              <MachinePanel api={api} machine={panelMachine} kind={panelDoc?.kind ?? null} status={view.status} epoch={view.epoch} focus={focus} onOpenServices={openServices} />
              <ConsolePanel consoles={consoles} api={api} router={router} />
            </Split>
          </Split>
          <Split direction="column" initial={0.38} storageKey="right-packets" minFirst={120} minSecond={200} label="Resize packets and details">
            <PacketList api={api} total={view.status?.frameCount ?? 0} epoch={view.epoch} selectedNo={selectedNo} onSelect={onSelectRow} onError={actions.reportError} />
            <FrameInspector api={api} selectedNo={selectedNo} status={view.status} onShowSocket={showSocket} />
          </Split>
        </Split>
      </main>
      {servicesDoc && <ServicesDialog api={api} machine={servicesDoc.id} status={view.status} epoch={view.epoch} onClose={closeServices} />}
    </div>
  );
}
