// LabService: owns the engine, the trace store and the pacing; implements the shared API that the
// Electron IPC, the browser-mode WebSocket and tests all use (DESIGN.md section 2).
import type {
  ExportFormat,
  ExportResult,
  FrameDetail,
  FramePage,
  FrameQuery,
  ImportReport,
  ImportResult,
  LabApi,
  LabEvent,
  LabState,
  LabStatus,
  OpenLabResult,
  Recovery,
  Speed,
} from '../../shared/api/contract';
import { IMPORT_MAX_BYTES, importTooLargeMessage, LIST_PAGE_ROWS } from '../../shared/api/contract';
import { isSlowMotion, STEP_FRAME_LIMIT_NS, type StepUnit } from '../../shared/api/contract';
import type { DropRecord, KernelEvent } from '../../shared/trace';
import type { Autosave } from './autosave';
import type { Delivery, MachineState, SwitchState } from '../../shared/api/kernel-view';
import { bridgeHint, isPortNumber, MAX_LOG_LIMIT, type BridgeStatus, type LogLine, type LogQuery, type ServiceCommandResult, type ServiceStatus } from '../../shared/api/services';
import { formatIpv4 } from '../../shared/wire';
import { addGateway, Bridge, gatewayDoc, gatewayLinkDoc, type BridgeSpec, type GatewayPlan } from './bridge';
import { serviceInfo, SERVICE_CATALOG } from '../../shared/kernel/services';
import { NODE_PROGRAMS } from './programs';
import { LAB_FORMAT, parseLab, serializeLab, validateLab, type LabDoc, type ResolvedLab } from '../../shared/lab';
import { applyLiveEdit, planLiveEdit } from './live-edit';
import { dissect } from '../../shared/wire';
import { ScriptRunner, World, type Machine, type Terminal } from '../engine';
import { FilterView, flowGraph, followStream, toBase64, TraceIndex, UnreadableRecordError, type CapturePointQuery, type TraceStore } from '../trace';
import { listCsv, listJson, listRows } from '../trace/list-export';
import { readForImport } from '../trace/import';
import { isSqlite, openTraceView, type TraceView } from '../trace/trace-import';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { FlowGraph, FlowQuery, FollowStream, IoGraph, IoGraphQuery, TrafficStats } from '../../shared/api/analysis';
import { readCaptureFile } from './capture-file';
import { serviceStatuses, startCaptured } from './machine-services';
import { Pacer, systemClock, TICK_BUDGET_MS, type WallClock } from './pacer';

const TICK_MS = 16;
/** A service command from the UI must finish within this much lab time (start waits 1 ms for the daemon). */
const COMMAND_LIMIT_NS = 10e9;
const STATUS_EVERY_MS = 100;

interface Console {
  machine: string;
  term: Terminal;
  /** Output not yet sent to the page (filled by the terminal, emptied by publish()). */
  pending: { text: string };
}

interface Session {
  doc: LabDoc;
  lab: ResolvedLab;
  world: World;
}

export interface LabServiceOptions {
  store: TraceStore;
  clock?: WallClock;
  /** Drive ticks with setInterval (false in tests, which call tick() themselves). */
  autoTick?: boolean;
  /** Start running at once (the desktop app and browser mode do). */
  running?: boolean;
  /** Keep the working lab in the app data folder after every change (crash recovery). */
  autosave?: Autosave;
}

/** A display filter that says something (blank text means no filter). */
const isFilter = (text: string | undefined): text is string => text !== undefined && text.trim() !== '';

export class LabService implements LabApi {
  private session: Session;
  private running: boolean;
  private speed: Speed = { mode: 'realtime', factor: 1 };
  private readonly consoles = new Map<string, Console>();
  private readonly listeners = new Set<(e: LabEvent) => void>();
  private readonly pacer: Pacer;
  private timer: ReturnType<typeof setInterval> | null = null;
  private consoleSeq = 0;
  private lastStatusMs = -Infinity;
  private lastStatusKey = '';
  /** Real loopback listeners into the lab (bridge.ts), and the gateway machine they share. */
  private bridges: { spec: BridgeSpec; bridge: Bridge; status: BridgeStatus }[] = [];
  private gateway: GatewayPlan | null = null;
  /**
   * The display filters applied lately (the packet list's, an open I/O graph's...), each with what it
   * has selected so far, most recent last: a few are kept so they do not evict each other.
   */
  private filtered: FilterView[] = [];
  /** Streams and conversations of the trace so far (built on first use, then kept up to date). */
  private index: TraceIndex | null = null;
  /** The reason autosave is off was told once. */
  private autosaveOffReported = false;
  /**
   * A trace file opened to view (Capture, --trace): read in place until the lab changes;
   * the lab's own trace (opts.store) is empty meanwhile.
   */
  private viewing: TraceView | null = null;

  /** Start on a lab file's text; throws with the file's problems if it is invalid. */
  constructor(
    labText: string,
    private readonly opts: LabServiceOptions,
  ) {
    const r = parseLab(labText);
    if (!r.ok) throw new Error(`invalid lab: ${r.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`);
    this.pacer = new Pacer(opts.clock ?? systemClock);
    // The starting lab is a file already (or the default): autosaving begins with the first change,
    // so a lab left by a crash is not replaced by a session that changed nothing.
    this.session = this.build(r.doc, r.lab);
    this.running = opts.running ?? false;
    if (opts.autoTick) this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  onEvent(cb: (e: LabEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const c of this.consoles.values()) c.term.close();
    this.consoles.clear();
    this.closeBridges();
    this.closeView();
    this.opts.store.flush();
  }

  /** The lab was replaced or changed: save it for recovery and tell every window. */
  private announce(): LabState {
    this.autosave();
    const state = this.state();
    this.emit({ type: 'lab', state });
    return state;
  }

  // ---------------------------------------------------------------- API

  async getState(): Promise<LabState> {
    return this.state();
  }

  async openLab(text: string): Promise<OpenLabResult> {
    const r = parseLab(text);
    if (!r.ok) return { ok: false, errors: r.errors };
    for (const c of this.consoles.values()) c.term.close();
    this.consoles.clear();
    this.session = this.build(r.doc, r.lab);
    const state = this.announce();
    return { ok: true, state };
  }

  async importCapture(fileName: string, dataBase64: string): Promise<ImportResult> {
    const bytes = Buffer.from(dataBase64, 'base64');
    if (bytes.length > IMPORT_MAX_BYTES) return { ok: false, error: importTooLargeMessage({ name: fileName, bytes: bytes.length }) };
    if (isSqlite(bytes)) return this.importTrace(fileName, bytes);
    return this.importPackets(fileName, bytes);
  }

  /** A pcap or pcapng file's packets, read into a fresh trace that replaces the lab. */
  private importPackets(fileName: string, bytes: Uint8Array): ImportResult {
    const read = readForImport(bytes);
    if (!read.ok) return { ok: false, error: `${fileName} is not a capture Packet Lab can read: ${read.error}` };
    const name = fileName.replace(/\.(pcapng|pcap|cap)$/i, '').slice(0, 80).trim() || 'capture';
    return this.replaceWithCapture(name, (sink) => read.feed(sink), read.report);
  }

  /** An uploaded Packet Lab trace file: written to a private copy, viewed until the lab changes (one of an older schema through an upgraded copy, as for a file opened by its path). */
  private importTrace(fileName: string, bytes: Uint8Array): ImportResult {
    let dir: string | undefined;
    const remove = (): void => void (dir && rmSync(dir, { recursive: true, force: true }));
    let path: string;
    try {
      dir = mkdtempSync(join(tmpdir(), 'packet-lab-open-trace-'));
      path = join(dir, 'trace.sqlite');
      writeFileSync(path, bytes);
    } catch (e) {
      remove();
      return { ok: false, error: `${fileName} could not be written to the temporary folder: ${(e as Error).message}` };
    }
    return this.viewTrace(fileName, openTraceView(path, { ownCopy: { remove } }));
  }

  /**
   * Open a capture file by its path, past the upload limit: the desktop's Capture dialog and
   * `npm run web -- --trace FILE` (not on the API: a page may not name files on this computer).
   * A Packet Lab trace, of any size, is viewed in place, read-only, so opening takes a quick check,
   * not a copy; one of an older schema is read from an upgraded copy in the temporary folder (which
   * needs room for the whole trace). A pcap or pcapng file (up to CAPTURE_FILE_MAX_BYTES) is
   * imported as an upload is.
   */
  openFile(path: string): ImportResult {
    const file = readCaptureFile(path);
    if (!file.ok) return file;
    const name = basename(path);
    return file.kind === 'trace' ? this.viewTrace(name, openTraceView(path)) : this.importPackets(name, file.bytes);
  }

  /** Show an opened trace file: an empty lab named after it, whose trace is the file until the lab changes. */
  private viewTrace(fileName: string, opened: ReturnType<typeof openTraceView>): ImportResult {
    if (!opened.ok) {
      const what = { upgrade: "could not be brought to this version's trace format", open: 'is not a Packet Lab trace this version can read', check: 'could not be read' }[opened.stage];
      return { ok: false, error: `${fileName} ${what}: ${opened.error}` };
    }
    const { view } = opened;
    const name = `${view.lab || fileName.replace(/\.(sqlite|db)$/i, '')} (trace)`.slice(0, 80);
    let failure: string | null;
    try {
      failure = this.emptyLab(name);
    } catch (e) {
      view.close();
      throw e;
    }
    if (failure !== null) {
      view.close();
      return { ok: false, error: failure };
    }
    this.viewing = view;
    // The packet list opens at the end (it follows the newest frames). Its last two pages are read
    // now (what the renderer's pagesAtEnd asks for first, in windows up to ~1,800 px tall): the
    // list's first request then finds its code compiled and the last chunks loaded (on a 1M-frame
    // trace ~20 ms for the first read, ~5 ms after). With --trace the web host does it before it
    // serves the page; from File -> Open it adds those ms to the open. Only a head start: the check
    // at open does not read every byte, and damage it missed is the list's to report when it reads there.
    const lastPage = Math.floor(Math.max(0, view.frames - 1) / LIST_PAGE_ROWS) * LIST_PAGE_ROWS;
    try {
      view.store.listFrames({ offset: Math.max(0, lastPage - LIST_PAGE_ROWS), limit: 2 * LIST_PAGE_ROWS });
    } catch {
      // The list's own request meets the same error and shows it.
    }
    const state = this.announce();
    return { ok: true, state, report: { format: 'trace', packets: view.frames, skipped: 0, startNs: 0, lab: view.lab } };
  }

  /** Replace the lab by an empty one named `name` (an opened capture's); null, or why it could not be made. */
  private emptyLab(name: string): string | null {
    const r = parseLab(JSON.stringify({ format: LAB_FORMAT, name, machines: [], links: [], script: [] }));
    if (!r.ok) return `the empty lab "${name}" for the capture did not validate: ${r.errors[0]?.message}`;
    this.running = false;
    for (const c of this.consoles.values()) c.term.close();
    this.consoles.clear();
    this.session = this.build(r.doc, r.lab);
    return null;
  }

  /**
   * Replace the lab by an empty one named `name` whose trace `feed` fills (an imported capture; what
   * it feeds was read and checked before). Should writing the trace fail, the lab has still changed:
   * the UI is told, and the error names what happened.
   */
  private replaceWithCapture(name: string, feed: (sink: TraceStore) => void, report: ImportReport): ImportResult {
    const invalid = this.emptyLab(name);
    if (invalid !== null) return { ok: false, error: invalid };
    let failure: string | null = null;
    try {
      feed(this.opts.store);
      this.opts.store.flush();
    } catch (e) {
      failure = (e as Error).message;
    }
    const state = this.announce();
    return failure === null ? { ok: true, state, report } : { ok: false, error: `the capture opened as "${name}", but its trace could not be written completely: ${failure}` };
  }

  async getRecovery(): Promise<Recovery | null> {
    return this.opts.autosave?.pending() ?? null;
  }

  async settleRecovery(choice: 'recover' | 'discard'): Promise<OpenLabResult | null> {
    const a = this.opts.autosave;
    const r = a?.pending();
    if (!a || !r) return null;
    a.settle();
    return choice === 'recover' ? this.openLab(r.text) : null;
  }

  /**
   * Replace the lab's document with an edited one (the editor's), applied to the running
   * simulation without a restart (live-edit.ts); nothing changes when it is invalid.
   */
  async editLab(doc: unknown): Promise<OpenLabResult> {
    const r = validateLab(this.withoutGateway(doc));
    if (!r.ok) return { ok: false, errors: r.errors };
    const plan = planLiveEdit(this.session.doc, r.doc, r.lab);
    // An opened trace file is shown until the lab changes: an edit's frames go to the lab's own trace.
    this.closeView();
    for (const [id, c] of [...this.consoles]) {
      if (plan.restarted.includes(c.machine)) {
        c.term.close();
        this.consoles.delete(id);
      }
    }
    applyLiveEdit(this.session.world, plan);
    this.session = { ...this.session, doc: r.doc, lab: r.lab };
    const state = this.announce();
    this.publish(true);
    return { ok: true, state };
  }

  async saveLab(): Promise<string> {
    return serializeLab(this.session.doc);
  }

  async moveMachine(id: string, x: number, y: number): Promise<void> {
    const m = this.session.doc.machines.find((mm) => mm.id === id);
    if (!m && id === this.gateway?.gateway) return; // the bridge's gateway is not part of the lab file
    if (!m) throw new Error(`no machine "${id}"`);
    m.position = { x: Math.round(x), y: Math.round(y) };
    this.autosave();
  }

  async run(): Promise<LabStatus> {
    this.running = true;
    this.pacer.resetBase();
    return this.publish(true);
  }

  async pause(): Promise<LabStatus> {
    this.running = false;
    return this.publish(true);
  }

  async step(unit: StepUnit = 'event'): Promise<LabStatus> {
    this.running = false;
    const { sched } = this.session.world;
    if (unit === 'event') {
      sched.step();
      return this.publish(true);
    }
    const { store } = this.opts;
    const seen = (): number => store.countFrames({ allCapturePoints: true }) + store.countDrops();
    const before = seen();
    const limit = sched.now + STEP_FRAME_LIMIT_NS;
    for (;;) {
      const next = sched.nextTime();
      if (next === null || next > limit) break;
      sched.step();
      if (seen() !== before) break;
    }
    return this.publish(true);
  }

  async reset(): Promise<LabState> {
    const { doc, lab } = this.session;
    const open = [...this.consoles.entries()];
    for (const [, c] of open) c.term.close();
    this.consoles.clear();
    this.session = this.build(doc, lab);
    // Consoles stay open across a reset: each gets a fresh shell on its machine.
    for (const [id, c] of open) this.attachConsole(id, c.machine, '\r\n[lab reset: new shell]\r\n');
    const state = this.state();
    this.emit({ type: 'lab', state });
    this.publish(true);
    return state;
  }

  async setSpeed(speed: Speed): Promise<LabStatus> {
    this.speed = speed;
    this.pacer.resetBase();
    return this.publish(true);
  }

  async openConsole(machine: string): Promise<{ consoleId: string }> {
    this.kernelMachine(machine, 'has no shell');
    const consoleId = `c${++this.consoleSeq}`;
    this.attachConsole(consoleId, machine, '');
    this.settle();
    return { consoleId };
  }

  async consoleInput(consoleId: string, data: string): Promise<void> {
    this.console(consoleId).term.input(data);
    this.settle();
  }

  async closeConsole(consoleId: string): Promise<void> {
    const c = this.console(consoleId);
    c.term.close();
    this.consoles.delete(consoleId);
    this.settle();
  }

  async listFrames(q: FrameQuery): Promise<FramePage> {
    const store = this.trace;
    const filter = isFilter(q.filter) ? q.filter : null;
    if (q.point && q.allCapturePoints) throw new Error('listFrames: give a capture point or allCapturePoints, not both');
    if (filter !== null || q.point) {
      if (q.allCapturePoints) throw new Error('listFrames: a display filter applies to the default view (each frame once) or to one capture point, not to every capture point');
      const view = this.filterView(filter ?? '', q.point ?? null);
      view.advance(store);
      return { total: view.matches.length, rows: store.rowsByNo(view.matches.slice(q.offset, q.offset + q.limit)) };
    }
    return { total: store.countFrames({ allCapturePoints: q.allCapturePoints }), rows: store.listFrames(q) };
  }

  async capturePoints(): Promise<{ machine: string; nic: string }[]> {
    return this.trace.capturePoints();
  }

  /** The view of the filter last applied (kept, so paging and a running lab only scan new frames). */
  private filterView(text: string, point: CapturePointQuery | null = null): FilterView {
    // The list holds at most one view per filter and point: taken out, and reused unless stale.
    const i = this.filtered.findIndex((f) => f.isFor(text, point));
    const kept = i >= 0 ? this.filtered.splice(i, 1)[0]! : undefined;
    const v = kept && !kept.isStale(this.trace) ? kept : FilterView.create(text, point);
    if (!(v instanceof FilterView)) throw new Error(`display filter, at character ${v.at + 1}: ${v.message}`);
    this.filtered.push(v);
    if (this.filtered.length > 4) this.filtered.shift();
    return v;
  }

  async listDrops(q: { offset: number; limit: number }): Promise<DropRecord[]> {
    return this.trace.listDrops(q);
  }

  async getFrame(no: number): Promise<FrameDetail | null> {
    const f = this.trace.getFrame(no);
    if (!f) return null;
    const detail: FrameDetail = { row: f.row, bytesBase64: toBase64(f.bytes), tree: dissect(f.bytes) };
    if (f.tcpStream !== undefined) detail.tcpStream = f.tcpStream;
    let cause: KernelEvent | undefined;
    try {
      cause = this.trace.kernelEvents({ frameId: f.row.frameId, type: 'syscall' })[0];
    } catch (e) {
      // An unreadable record (a damaged trace file): the frame is shown without its sender.
      if (!(e instanceof UnreadableRecordError)) throw e;
    }
    const c = cause?.data as { pid?: unknown; process?: unknown; call?: unknown } | undefined;
    if (cause && c && typeof c.pid === 'number' && typeof c.process === 'string' && typeof c.call === 'string') {
      detail.sentBy = { machine: cause.machine, pid: c.pid, process: c.process, call: c.call, atNs: cause.at };
    }
    return detail;
  }

  async exportCapture(format: ExportFormat, filter?: string, point?: CapturePointQuery): Promise<ExportResult> {
    const store = this.trace;
    const filtered = isFilter(filter);
    const view = filtered || point ? this.filterView(filtered ? filter : '', point ?? null).advanceTo(store) : null;
    const only = view ? { only: view.matches, pointRows: point !== undefined } : {};
    const at = point ? `-${point.machine}${point.nic ? `-${point.nic}` : ''}` : '';
    const base = (this.session.doc.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'lab') + at.replace(/[^A-Za-z0-9._-]+/g, '-') + (filtered ? '-filtered' : '');
    if (format === 'csv' || format === 'json') {
      const rows = listRows(store, view?.matches);
      const text = format === 'csv' ? listCsv(rows) : listJson(rows);
      return { fileName: `${base}.${format}`, mimeType: format === 'csv' ? 'text/csv' : 'application/json', dataBase64: toBase64(text) };
    }
    const bytes = format === 'pcapng' ? store.exportPcapng(only) : store.exportPcap(only);
    return { fileName: `${base}.${format}`, mimeType: 'application/vnd.tcpdump.pcap', dataBase64: toBase64(bytes) };
  }

  async followStream(stream: number): Promise<FollowStream> {
    return followStream(this.trace, this.traceIndex(), stream);
  }

  async flowGraph(q: FlowQuery): Promise<FlowGraph> {
    if (q.stream !== undefined && q.filter !== undefined) throw new Error('flowGraph: give a stream or a filter, not both');
    const view = isFilter(q.filter) ? this.filterView(q.filter).advanceTo(this.trace) : undefined;
    return flowGraph(this.trace, this.traceIndex(), { ...(q.stream !== undefined ? { stream: q.stream } : {}), ...(view ? { view } : {}), ...(q.limit ? { limit: q.limit } : {}) });
  }

  async ioGraph(q: IoGraphQuery): Promise<IoGraph> {
    const view = isFilter(q.filter) ? this.filterView(q.filter).advanceTo(this.trace) : null;
    return this.traceIndex().ioGraph(q.intervalNs, view?.matches);
  }

  async trafficStats(): Promise<TrafficStats> {
    return this.traceIndex().stats();
  }

  private traceIndex(): TraceIndex {
    return (this.index ??= new TraceIndex()).advance(this.trace);
  }

  async getSwitchState(machine: string): Promise<SwitchState> {
    const s = this.session.world.inspectSwitch(machine);
    if (s) return s;
    const kind = this.session.doc.machines.find((x) => x.id === machine)?.kind ?? (machine === this.gateway?.gateway ? 'host' : undefined);
    throw new Error(kind ? `${machine} is a ${kind}, not a switch or hub` : `no machine "${machine}"`);
  }

  async getMachineState(machine: string): Promise<MachineState> {
    return this.kernelMachine(machine, 'has no kernel to inspect').inspect();
  }

  async getDelivery(no: number): Promise<Delivery[]> {
    const store = this.trace;
    const f = store.getFrame(no);
    if (!f) return [];
    return store.kernelEvents({ frameId: f.row.frameId, type: 'deliver' }).map((e) => e.data as Delivery);
  }

  async listServices(machine: string): Promise<ServiceStatus[]> {
    return serviceStatuses(this.kernelMachine(machine, 'runs no services'));
  }

  async startService(machine: string, name: string, port?: number): Promise<ServiceCommandResult> {
    if (port !== undefined && !isPortNumber(port)) throw new Error(`${String(port)} is not a port number (1-65535)`);
    return this.serviceCommand(machine, name, port === undefined ? ['start'] : ['start', String(port)]);
  }

  async stopService(machine: string, name: string): Promise<ServiceCommandResult> {
    return this.serviceCommand(machine, name, ['stop']);
  }

  async startBridge(machine: string, port: number, localPort = 0): Promise<BridgeStatus[]> {
    this.kernelMachine(machine, 'runs no services');
    if (!isPortNumber(port)) throw new Error(`${String(port)} is not a port number (1-65535)`);
    if (!Number.isInteger(localPort) || localPort < 0 || localPort > 65535) throw new Error(`${String(localPort)} is not a local port (0-65535)`);
    if (this.bridges.some((b) => b.status.machine === machine && b.status.port === port)) return this.listBridges();
    const spec: BridgeSpec = { target: machine, targetPort: port, listenPort: localPort };
    // All bridged services share one gateway, so they must be on one segment: plan with them all.
    const plan = addGateway(this.session.lab, [...this.bridges.map((b) => b.spec), spec]);
    if ('error' in plan) throw new Error(plan.error);
    const world = this.session.world;
    if (!this.gateway) {
      world.attach(plan.lab.machines.at(-1)!, plan.lab.links.at(-1)!);
      this.gateway = plan;
    } else this.gateway.targets.set(machine, plan.targets.get(machine)!);
    const gw = this.gateway;
    const log = (text: string) => this.opts.store.kernel({ at: world.now, machine: gw.gateway, type: 'log', text: `bridge: ${text}` });
    const bridge = await Bridge.start(world, gw, spec, log);
    const status: BridgeStatus = { machine, port, localPort: bridge.port, gateway: gw.gateway, gatewayAddress: formatIpv4(gw.gatewayAddr), hint: bridgeHint(port, bridge.port) };
    this.bridges.push({ spec, bridge, status });
    log(`127.0.0.1:${bridge.port} -> ${machine}:${port}`);
    // A real client has timeouts: a bridged lab runs in real time.
    this.speed = { mode: 'realtime', factor: 1 };
    this.running = true;
    this.pacer.resetBase();
    this.emit({ type: 'lab', state: this.state() });
    this.publish(true);
    return this.listBridges();
  }

  async stopBridge(localPort: number): Promise<BridgeStatus[]> {
    const i = this.bridges.findIndex((b) => b.status.localPort === localPort);
    if (i < 0) throw new Error(`no bridge on 127.0.0.1:${localPort}`);
    const [b] = this.bridges.splice(i, 1);
    await b!.bridge.close();
    return this.listBridges();
  }

  async listBridges(): Promise<BridgeStatus[]> {
    return this.bridges.map((b) => ({ ...b.status }));
  }

  async machineLog(machine: string, query: LogQuery = {}): Promise<LogLine[]> {
    this.kernelMachine(machine, 'has no log');
    const offset = query.offset ?? 0;
    const limit = Math.min(query.limit ?? MAX_LOG_LIMIT, MAX_LOG_LIMIT);
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(limit) || limit < 1) throw new Error('machineLog: offset must be >= 0 and limit >= 1');
    return this.trace.kernelEvents({ machine, type: 'log', offset, limit }).map((e) => ({ timeNs: e.at, text: e.text }));
  }

  // ---------------------------------------------------------------- time

  /** One pacing tick: simulate what the wall clock and speed allow, then publish. */
  tick(): void {
    if (!this.running) return;
    const d = this.pacer.decide(this.session.world.now, this.speed);
    try {
      this.simulate(d.kind === 'until' ? d.virtualNs : Infinity, d.kind === 'budget' ? d.wallMs : TICK_BUDGET_MS);
    } catch (err) {
      // A bug in the simulation must not take the app (and its unsaved lab) down with it: pause,
      // say what happened, and let the person save or reset.
      this.running = false;
      const at = (this.session.world.now / 1e9).toFixed(6);
      this.emit({ type: 'fault', message: `The simulation stopped at t = ${at} s: ${err instanceof Error ? err.message : String(err)}. The lab is paused; Save keeps your lab, Reset starts it over.` });
      console.error(err);
    }
    this.publish(false);
  }

  /** Run events up to `target` (virtual ns) but for at most `budgetMs` of wall time. */
  private simulate(target: number, budgetMs: number): void {
    const { world } = this.session;
    const { sched } = world;
    const deadline = this.pacer.nowMs() + budgetMs;
    const skipIdle = isSlowMotion(this.speed);
    for (let n = 1; ; n++) {
      const next = sched.nextTime();
      // Slow motion: while no frame is on a wire, the wait for the next event is skipped (the
      // whole tick's allowance moves with it).
      if (skipIdle && next !== null && next > target && world.framesInFlight === 0) target += next - sched.now;
      if (next === null || next > target) {
        if (Number.isFinite(target)) sched.runUntil(target);
        return;
      }
      sched.step();
      if ((n & 255) === 0 && this.pacer.nowMs() > deadline) return;
    }
  }

  /** Process what happens at this very instant (typing while paused still echoes and starts commands). */
  private settle(): void {
    const { sched } = this.session.world;
    sched.runUntil(sched.now);
    this.publish(true);
  }

  // ---------------------------------------------------------------- internals

  /** The working lab to the app data folder (a failing disk is reported, never fatal to the lab). */
  private autosave(): void {
    const off = this.opts.autosave?.off;
    if (off && !this.autosaveOffReported) {
      this.autosaveOffReported = true;
      this.emit({ type: 'fault', message: `Autosave is off: ${off}. The lab runs on; save it to a file to keep it.` });
    }
    try {
      this.opts.autosave?.write(serializeLab(this.session.doc));
    } catch (err) {
      this.emit({ type: 'fault', message: `Autosave failed: ${err instanceof Error ? err.message : String(err)}. The lab runs on; save it to a file to keep it.` });
    }
  }

  /** The machine with a kernel by that id, or an error naming what it is instead. */
  private kernelMachine(id: string, lacking: string): Machine {
    const m = this.session.world.machine(id);
    if (m) return m;
    const kind = this.session.doc.machines.find((x) => x.id === id)?.kind;
    throw new Error(kind ? `${id} is a ${kind}: it ${lacking}` : `no machine "${id}"`);
  }

  /**
   * `service NAME ACTION...` as root inside the machine, run to its end: the lab's clock moves on
   * as far as the command needs (start waits for its daemon to reach accept()), paused or not.
   */
  private serviceCommand(machine: string, name: string, action: string[]): ServiceCommandResult {
    const m = this.kernelMachine(machine, 'runs no services');
    if (!serviceInfo(name)) throw new Error(`no service "${name}" (services: ${SERVICE_CATALOG.map((s) => s.name).join(', ')})`);
    const run = startCaptured(m, ['service', name, ...action]);
    const { sched } = this.session.world;
    const limit = sched.now + COMMAND_LIMIT_NS;
    while (!run.done) {
      const next = sched.nextTime();
      if (next === null || next > limit) break;
      sched.step();
    }
    this.publish(true);
    if (!run.done) throw new Error(`${run.command} did not finish within ${COMMAND_LIMIT_NS / 1e9} s of lab time`);
    return { command: run.command, exitStatus: run.exitStatus, output: run.output, services: serviceStatuses(m) };
  }

  private build(doc: LabDoc, lab: ResolvedLab): Session {
    this.closeView();
    this.filtered = []; // a new trace
    this.index = null;
    this.closeBridges();
    this.opts.store.reset({ lab: lab.name, seed: lab.seed });
    const world = new World(lab, this.opts.store, NODE_PROGRAMS);
    new ScriptRunner(world, lab.script);
    this.pacer.resetBase();
    return { doc, lab, world };
  }

  /** The trace the inspector reads: an opened trace file, or the lab's own. */
  private get trace(): TraceStore {
    return this.viewing?.store ?? this.opts.store;
  }

  /** Stop viewing an opened trace file (closing it); the inspector reads the lab's own trace again. */
  private closeView(): void {
    if (!this.viewing) return;
    const v = this.viewing;
    this.viewing = null;
    this.filtered = [];
    this.index = null;
    v.close();
  }

  private attachConsole(consoleId: string, machine: string, banner: string): void {
    const pending = { text: banner };
    const term = this.session.world.machine(machine)!.openTerminal({ output: (s) => (pending.text += s) });
    this.consoles.set(consoleId, { machine, term, pending });
  }

  private console(id: string): Console {
    const c = this.consoles.get(id);
    if (!c) throw new Error(`no console "${id}" (closed, or the lab was reopened)`);
    return c;
  }

  private state(): LabState {
    const doc = structuredClone(this.session.doc);
    // The gateway is shown while bridges run, but it is not part of the lab file (saveLab).
    if (this.gateway) {
      doc.machines.push(...gatewayDoc(this.gateway, doc));
      doc.links.push(gatewayLinkDoc(this.gateway));
    }
    return { doc, status: this.status() };
  }

  /** The bridge's gateway is shown in the state's document but is not the editor's to change. */
  private withoutGateway(doc: unknown): unknown {
    const id = this.gateway?.gateway;
    if (!id || typeof doc !== 'object' || doc === null) return doc;
    const d = doc as { machines?: unknown; links?: unknown };
    const mine = (end: unknown): boolean => typeof end === 'string' && end.startsWith(`${id}:`);
    return {
      ...d,
      ...(Array.isArray(d.machines) ? { machines: d.machines.filter((m) => (m as { id?: unknown } | null)?.id !== id) } : {}),
      ...(Array.isArray(d.links) ? { links: d.links.filter((l) => !mine((l as { a?: unknown } | null)?.a) && !mine((l as { b?: unknown } | null)?.b)) } : {}),
    };
  }

  /** Close every bridge (a reset, another lab, the end): the gateway goes with the world. */
  private closeBridges(): void {
    for (const b of this.bridges) void b.bridge.close();
    this.bridges = [];
    this.gateway = null;
  }

  private status(): LabStatus {
    const store = this.trace;
    return {
      labName: this.session.doc.name,
      running: this.running,
      speed: this.speed,
      timeNs: this.session.world.now,
      frameCount: store.countFrames(),
      captureCount: store.countFrames({ allCapturePoints: true }),
      dropCount: store.countDrops(),
    };
  }

  /** Hand the trace to its writer, send buffered console output and (throttled) the status. */
  private publish(force: boolean): LabStatus {
    this.opts.store.submit();
    for (const [consoleId, { pending }] of this.consoles) {
      if (!pending.text) continue;
      const data = pending.text;
      pending.text = '';
      this.emit({ type: 'console', consoleId, data });
    }
    const status = this.status();
    const key = JSON.stringify(status);
    const now = this.pacer.nowMs();
    if (force || (key !== this.lastStatusKey && now - this.lastStatusMs >= STATUS_EVERY_MS)) {
      this.lastStatusKey = key;
      this.lastStatusMs = now;
      this.emit({ type: 'status', status });
    }
    return status;
  }

  private emit(e: LabEvent): void {
    for (const l of this.listeners) l(e);
  }
}
