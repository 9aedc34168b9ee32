// The window: toolbar, banners, then topology + the selected machine's kernel + consoles (left) and
// packets + details (with how each frame was delivered) + bytes (right).
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Delivery } from '../../shared/api';
import type { FrameRow } from '../../shared/trace/frame-row';
import { getLabApi } from '../api';
import { hasConsole } from '../canvas/elements';
import { MachineList } from '../canvas/MachineList';
import { FrameInspector } from '../inspector/FrameInspector';
import { PacketList } from '../inspector/PacketList';
import { FilterBar } from '../inspector/FilterBar';
import { CapturePointSelect, pointKey, type CapturePoint } from '../inspector/CapturePointSelect';
import { AnalyzeButtons } from '../analysis/AnalyzeButtons';
import type { FlowScope } from '../analysis/FlowGraphDialog';
import type { StatsView } from '../analysis/stats-table';
import { Split } from '../layout/Split';
import { ConsolePanel } from '../machine/ConsolePanel';
import { MachinePanel, type SocketFocus } from '../machine/MachinePanel';
import { ConsoleRouter } from '../machine/console-router';
import { useConsoles } from '../machine/use-consoles';
import { Toolbar } from '../toolbar/Toolbar';
import { AboutLab, ActionError, ConnectionBanner, LabErrorsPanel, RecoveryBanner } from './Banners';
import { LoadBoundary } from './LoadBoundary';
import { ExamplesDialog, FlowGraphDialog, FollowStreamDialog, IoGraphDialog, PropertiesPanel, ServicesDialog, StatisticsDialog, TopologyCanvas } from './lazy-parts';
import type { Example } from '../editor/examples';
import { useCanvasGate } from './use-canvas-gate';
import { useLab } from './use-lab';
import { useFiles } from '../files/use-files';
import { Palette } from '../editor/Palette';
import { useEditor } from '../editor/use-editor';
import { addLink, addMachine, moveMachines, removeLink, removeMachines, snap } from '../editor/edits';
import { readStored, writeStored } from '../util/storage';

/** The canvas background's dot spacing: Snap puts machines on it. */
const GRID = 20;
const SNAP_KEY = 'editor:snap';
import { autoAddress } from '../editor/auto-address';
import { copyMachines, pasteMachines, type Clip } from '../editor/clipboard';
import { linkIndexOfEdge } from '../canvas/elements';
import type { MachineKind } from '../../shared/lab/types';

type Analysis =
  | { kind: 'follow'; target: { stream: number } | { no: number } }
  | { kind: 'flow'; scope: FlowScope }
  | { kind: 'stats'; view: StatsView }
  | { kind: 'io' };

/** Where the canvas will be, while its chunk loads or waits (use-canvas-gate.ts). */
const CANVAS_LOADING = <div className="canvas-wrap" aria-busy="true" />;

export function App() {
  const client = useMemo(() => getLabApi(), []);
  const router = useMemo(() => new ConsoleRouter(), []);
  const [view, actions] = useLab(client, router);
  const { api } = client;
  const canvasGate = useCanvasGate(view.status);
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
  const showProcess = useCallback(
    (machine: string, pid: number) => {
      selectMachine(machine);
      setFocus({ machine, pid, seq: ++focusSeq.current });
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
  const [displayFilter, setDisplayFilter] = useState('');
  const [capturePoint, setCapturePoint] = useState<CapturePoint>(null);
  const onSelectFrame = useCallback((no: number) => setSelected({ no, epoch }), [epoch]);
  // Follow TCP Stream, the flow graph and the statistics tables (one dialog at a time).
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const closeAnalysis = useCallback(() => setAnalysis(null), []);
  // A filter from Follow or the statistics names streams as the whole trace numbers them (each frame
  // once): show it there, not at a capture point, whose own numbering differs.
  const applyFilter = useCallback((f: string) => {
    setCapturePoint(null);
    setDisplayFilter(f);
    setAnalysis(null);
  }, []);
  const sim = useMemo(
    () => ({ api, status: view.status, epoch, onSelectFrame, onError: actions.reportError }),
    [api, view.status, epoch, onSelectFrame, actions.reportError],
  );

  // ---- the editor's history ----
  const [editor, edit] = useEditor(api, doc, view.labEpoch, actions.reportError);

  // ---- unsaved changes ----
  const dirtyRef = useRef(false);
  dirtyRef.current = editor.dirty;
  const labName = view.status?.labName ?? 'this lab';
  /** Whether the person agrees to lose unsaved edits (asked only when there are some). */
  const mayDiscard = useCallback(() => !dirtyRef.current || window.confirm(`Discard the unsaved changes to "${labName}"?`), [labName]);
  const files = useFiles(actions, view.status?.labName ?? null);
  /** Open a capture in place of the lab (uploaded, or by the desktop's dialog). */
  const importWith = (open: () => Promise<string | null>): void => {
    if (!mayDiscard()) return;
    // Only an import that succeeded replaces the lab, so only then is it no longer its file's.
    void open().then((text) => {
      if (!text) return;
      files.detach();
      setAbout(text);
    });
  };
  const save = useCallback(
    (as = false) => {
      void (as ? files.saveAs() : files.save()).then((ok) => {
        if (ok) edit.markSaved();
      });
    },
    [files, edit],
  );
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!dirtyRef.current) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

  // ---- the example gallery ----
  const [showExamples, setShowExamples] = useState(false);
  /** Every dialog closed (a dialog whose part failed is closed with its error box). */
  const closeDialogs = useCallback(() => {
    setShowExamples(false);
    setServicesFor(null);
    setAnalysis(null);
  }, []);
  // What the example opened from the gallery teaches; New and Open hide it.
  const [about, setAbout] = useState<string | null>(null);
  const openExample = useCallback(
    (ex: Example) => {
      setShowExamples(false);
      if (!mayDiscard()) return;
      void actions.openText(ex.file, ex.text).then((ok) => {
        if (!ok) return;
        files.detach();
        setAbout(ex.description);
      });
    },
    [actions, mayDiscard, files],
  );

  // ---- the editor ----
  const [linking, setLinking] = useState(false);
  const [selectedLink, setSelectedLink] = useState<string | null>(null);
  // Read at the moment of a key press (not from the last render): what the canvas has selected.
  const canvasSelection = useRef<(() => { machines: string[]; edges: string[] }) | null>(null);
  const listSelection = useRef<string | null>(null);
  listSelection.current = selectedMachine;
  const clipboard = useRef<Clip | null>(null);
  const centerRef = useRef<(() => { x: number; y: number }) | null>(null);
  const layoutRef = useRef<(() => Map<string, { x: number; y: number }>) | null>(null);
  const [snapOn, setSnapOn] = useState(() => readStored(SNAP_KEY) === '1');
  const toggleSnap = useCallback(() => {
    setSnapOn((v) => {
      writeStored(SNAP_KEY, v ? '0' : '1');
      return !v;
    });
  }, []);
  const grid = useCallback((x: number, y: number) => (snapOn ? snap({ x, y }, GRID) : { x, y }), [snapOn]);
  const autoLayout = useCallback(() => {
    const positions = layoutRef.current?.();
    if (!positions || positions.size === 0) return;
    const snapped = new Map([...positions].map(([id, p]) => [id, grid(p.x, p.y)]));
    edit.apply((d) => {
      const e = moveMachines(d, snapped);
      return e.ok ? { ...e, label: 'auto-layout' } : e;
    });
  }, [edit, grid]);
  const place = useCallback(
    (kind: MachineKind, x: number, y: number) => {
      const e = edit.apply((d) => addMachine(d, kind, grid(x, y)));
      if (e?.ok) selectMachine(e.id);
    },
    [edit, selectMachine, grid],
  );
  const onAdd = useCallback((kind: MachineKind) => {
    const c = centerRef.current?.() ?? { x: 0, y: 0 };
    place(kind, c.x, c.y);
  }, [place]);
  const onLink = useCallback((a: string, b: string) => void edit.apply((d) => addLink(d, a, b)), [edit]);
  const onMove = useCallback((id: string, x: number, y: number) => {
    edit.apply((d) => moveMachines(d, new Map([[id, grid(x, y)]])));
    edit.seal();
  }, [edit, grid]);
  const selectedNow = useCallback(() => {
    const s = canvasSelection.current?.() ?? { machines: [], edges: [] };
    const fromList = listSelection.current;
    return s.machines.length === 0 && s.edges.length === 0 && fromList ? { machines: [fromList], edges: [] } : s;
  }, []);
  const deleteSelection = useCallback(() => {
    const s = selectedNow();
    if (s.machines.length > 0) {
      edit.apply((d) => removeMachines(d, s.machines));
    } else if (s.edges.length > 0) {
      const edges = s.edges;
      edit.apply((d) => edges.reduce<ReturnType<typeof removeLink>>((acc, edge) => (acc.ok ? removeLink(acc.doc, linkIndexOfEdge(acc.doc, edge)) : acc), { ok: true, doc: d, label: '' }));
      setSelectedLink(null);
    }
  }, [edit, selectedNow]);
  const copySelection = useCallback(() => {
    const ids = selectedNow().machines;
    if (doc && ids.length > 0) clipboard.current = copyMachines(doc, ids);
  }, [doc, selectedNow]);
  const paste = useCallback(() => {
    const clip = clipboard.current;
    if (!clip) return;
    const e = edit.apply((d) => pasteMachines(d, clip));
    if (e?.ok && e.ids.length === 1) selectMachine(e.ids[0]!);
  }, [edit, selectMachine]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (t?.closest('.xterm')) return; // a terminal's keys are the terminal's (Ctrl+C, Ctrl+Z...)
      if (mod && key === 's') {
        e.preventDefault();
        save(e.shiftKey); // also from a properties field
        return;
      }
      if (t?.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (mod && key === 'o') document.querySelector<HTMLInputElement>('[data-testid="file-open-input"]')?.click();
      else if (mod && key === 'c') copySelection();
      else if (mod && key === 'v') paste();
      else if (mod && key === 'z' && !e.shiftKey) edit.undo();
      else if (mod && ((key === 'z' && e.shiftKey) || key === 'y')) edit.redo();
      else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) deleteSelection();
      else if (e.key === 'Escape') setLinking(false);
      else if (e.key === 'F2') {
        // Rename the selected machine: its name field in the properties takes the keyboard.
        const field = document.querySelector<HTMLInputElement>('[data-testid="prop-name"]');
        if (!field) return;
        field.focus();
        field.select();
      }
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [edit, deleteSelection, copySelection, paste, save]);

  return (
    <div className="app">
      <Toolbar
        status={view.status}
        connection={view.connection}
        dirty={editor.dirty}
        onNew={() => {
          if (!mayDiscard()) return;
          setAbout(null);
          files.detach();
          void actions.newLab();
        }}
        onExamples={() => setShowExamples(true)}
        onOpenFile={(f) => {
          if (!mayDiscard()) return;
          setAbout(null);
          void files.openFile(f);
        }}
        onImportCapture={(f) => importWith(() => actions.importCapture(f))}
        onPickCapture={client.openFileDialog ? () => importWith(actions.openCaptureDialog) : undefined}
        recent={files.recent}
        onOpenRecent={(entry) => {
          if (!mayDiscard()) return;
          setAbout(null);
          void files.openRecent(entry);
        }}
        onSave={() => save(false)}
        onSaveAs={() => save(true)}
        onToggleRun={actions.toggleRun}
        onStep={actions.step}
        onReset={actions.reset}
        onSpeed={actions.setSpeed}
        onExport={(format, displayed) => void actions.exportCapture(format, displayed && displayFilter ? displayFilter : undefined, displayed && capturePoint ? capturePoint : undefined)}
        narrowed={[capturePoint ? `at ${pointKey(capturePoint)}` : '', displayFilter].filter(Boolean).join(', ')}
      />
      <ConnectionBanner connection={view.connection} missingToken={client.missingToken} onRetry={client.retryNow} />
      <ActionError message={view.actionError} onDismiss={actions.dismissActionError} />
      <LabErrorsPanel report={view.labErrors} onDismiss={actions.dismissLabErrors} />
      <RecoveryBanner
        recovery={view.recovery}
        onChoose={(choice) => {
          if (choice === 'recover' && !mayDiscard()) return;
          setAbout(null);
          // Only a lab that really came back is unsaved and detached from its file (another tab may
          // have settled the offer already, or the call may fail).
          void actions.settleRecovery(choice, () => {
            edit.nextOpenUnsaved();
            files.detach();
          });
        }}
      />
      <AboutLab text={about} onDismiss={() => setAbout(null)} />
      <main className="workspace">
        <Split direction="row" initial={0.48} storageKey="main" minFirst={320} minSecond={420} label="Resize topology and packets">
          <Split direction="column" initial={0.38} storageKey="left-topology" minFirst={140} minSecond={230} label="Resize topology and machine">
            <section className="topology" aria-label="Topology">
              <MachineList doc={doc} selected={selectedMachine} onSelect={selectMachine} onOpenConsole={consoles.open} />
              <div className="topology-main">
                <Palette
                  linking={linking}
                  canUndo={editor.canUndo}
                  canRedo={editor.canRedo}
                  undoLabel={editor.undoLabel}
                  redoLabel={editor.redoLabel}
                  disabled={!doc}
                  onAdd={onAdd}
                  onToggleLink={() => setLinking((l) => !l)}
                  onUndo={edit.undo}
                  onRedo={edit.redo}
                  onAutoAddress={() => void edit.apply(autoAddress)}
                  snap={snapOn}
                  onToggleSnap={toggleSnap}
                  onAutoLayout={autoLayout}
                />
                {editor.refusal && (
                  <div className="editor-refusal" role="alert" data-testid="editor-refusal">
                    <span>{editor.refusal}</span>
                    <button type="button" className="btn btn-small" onClick={edit.dismissRefusal}>
                      Dismiss
                    </button>
                  </div>
                )}
                <LoadBoundary what="topology canvas">
                <Suspense fallback={CANVAS_LOADING}>
                {!canvasGate.ready ? CANVAS_LOADING : <TopologyCanvas
                  doc={doc}
                  selected={selectedMachine}
                  onSelect={selectMachine}
                  onMove={onMove}
                  onOpenConsole={consoles.open}
                  onOpenServices={openServices}
                  linking={linking}
                  onLink={onLink}
                  onDropKind={place}
                  onSelectLink={setSelectedLink}
                  selectionRef={canvasSelection}
                  centerRef={centerRef}
                  layoutRef={layoutRef}
                  sim={sim}
                >
                  {editor.doc && (
                    <LoadBoundary what="properties panel">
                      <Suspense fallback={null}>
                        <PropertiesPanel doc={editor.doc} machine={selectedMachine} link={selectedLink ? linkIndexOfEdge(editor.doc, selectedLink) : -1} edit={edit} onRenamed={selectMachine} />
                      </Suspense>
                    </LoadBoundary>
                  )}
                </TopologyCanvas>}
                </Suspense>
                </LoadBoundary>
              </div>
            </section>
            <Split direction="column" initial={0.56} storageKey="left-machine" minFirst={110} minSecond={110} label="Resize machine and consoles">
              <MachinePanel api={api} machine={panelMachine} kind={panelDoc?.kind ?? null} status={view.status} epoch={view.epoch} focus={focus} onOpenServices={openServices} />
              <ConsolePanel consoles={consoles} api={api} router={router} />
            </Split>
          </Split>
          <Split direction="column" initial={0.38} storageKey="right-packets" minFirst={120} minSecond={200} label="Resize packets and details">
            <div className="packets-pane">
              <FilterBar applied={displayFilter} onApply={setDisplayFilter}>
                <CapturePointSelect api={api} value={capturePoint} onChange={setCapturePoint} />
                <AnalyzeButtons
                  selectedNo={selectedNo}
                  onFollow={() => selectedNo !== null && setAnalysis({ kind: 'follow', target: { no: selectedNo } })}
                  onFlowGraph={() => setAnalysis({ kind: 'flow', scope: displayFilter ? { kind: 'displayed' } : { kind: 'all' } })}
                  onStatistics={(v) => setAnalysis({ kind: 'stats', view: v })}
                  onIoGraph={() => setAnalysis({ kind: 'io' })}
                />
              </FilterBar>
              <PacketList api={api} total={view.status?.frameCount ?? 0} epoch={view.epoch} selectedNo={selectedNo} filter={displayFilter} point={capturePoint} onSelect={onSelectRow} onError={actions.reportError} onFirstRows={canvasGate.onFirstRows} />
            </div>
            <FrameInspector api={api} selectedNo={selectedNo} status={view.status} onShowSocket={showSocket} onShowProcess={showProcess} />
          </Split>
        </Split>
      </main>
      <LoadBoundary what="dialog" key={showExamples ? 'examples' : servicesDoc ? 'services' : (analysis?.kind ?? 'none')} onDismiss={closeDialogs}>
      <Suspense fallback={null}>
      {showExamples && <ExamplesDialog onOpen={openExample} onClose={() => setShowExamples(false)} />}
      {servicesDoc && <ServicesDialog api={api} machine={servicesDoc.id} status={view.status} epoch={view.epoch} onClose={closeServices} />}
      {analysis?.kind === 'follow' && (
        <FollowStreamDialog
          api={api}
          target={analysis.target}
          onSelectFrame={onSelectFrame}
          onFilter={applyFilter}
          onFlowGraph={(stream) => setAnalysis({ kind: 'flow', scope: { kind: 'stream', stream } })}
          onClose={closeAnalysis}
        />
      )}
      {analysis?.kind === 'flow' && (
        <FlowGraphDialog
          api={api}
          scope={analysis.scope}
          filter={displayFilter}
          selectedNo={selectedNo}
          onScope={(scope) => setAnalysis({ kind: 'flow', scope })}
          onSelectFrame={onSelectFrame}
          onClose={closeAnalysis}
        />
      )}
      {analysis?.kind === 'io' && <IoGraphDialog api={api} status={view.status} epoch={view.epoch} filter={displayFilter} onClose={closeAnalysis} />}
      {analysis?.kind === 'stats' && (
        <StatisticsDialog
          api={api}
          status={view.status}
          epoch={view.epoch}
          initialView={analysis.view}
          onFilter={applyFilter}
          onFollowStream={(stream) => setAnalysis({ kind: 'follow', target: { stream } })}
          onFlowGraph={(stream) => setAnalysis({ kind: 'flow', scope: { kind: 'stream', stream } })}
          onClose={closeAnalysis}
        />
      )}
      </Suspense>
      </LoadBoundary>
    </div>
  );
}
