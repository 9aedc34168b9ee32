// The one contract between the UI and the backend (DESIGN.md section 7). Three transports carry it:
// Electron IPC (main/app + main/preload), WebSocket (main/web), and direct calls (tests, CLI).
// Every argument is validated at runtime in main (main/service/dispatch.ts); bytes cross as base64.
import type { LabDoc, LabError } from '../lab/types';
import type { DropRecord } from '../trace/events';
import type { FrameRow } from '../trace/frame-row';
import type { DissectNode } from '../wire/dissect-types';
import type { FlowGraph, FlowQuery, FollowStream, IoGraph, IoGraphQuery, TrafficStats } from './analysis';
import type { Delivery, MachineState, SwitchState } from './kernel-view';
import type { BridgeStatus, LogLine, LogQuery, ServiceCommandResult, ServiceStatus } from './services';

export type StepUnit = 'event' | 'frame';

/** How far a frame step may go looking for the next frame (lab time). */
export const STEP_FRAME_LIMIT_NS = 600e9;

export type Speed = { mode: 'realtime'; factor: number } | { mode: 'max' };

/**
 * Slow motion: at real-time factors up to this one the canvas draws frames travelling along the
 * links, and the lab skips the virtual time in which no frame is on any wire (a ping's idle second
 * would otherwise take minutes to watch), the way Packet Tracer's simulation mode jumps from event
 * to event. Timers still fire in order; only the idle waiting is not shown in real time.
 */
export const SLOW_MOTION_FACTOR = 0.01;

export function isSlowMotion(speed: Speed): boolean {
  return speed.mode === 'realtime' && speed.factor <= SLOW_MOTION_FACTOR;
}

export interface LabStatus {
  labName: string;
  running: boolean;
  speed: Speed;
  /** Virtual time in integer nanoseconds. */
  timeNs: number;
  /** Frames in the packet list's default view (each frame once). */
  frameCount: number;
  /** Capture rows across all capture points. */
  captureCount: number;
  /** Frames dropped so far (kernel events of type 'drop'; listDrops pages them). */
  dropCount: number;
}

export interface LabState {
  doc: LabDoc;
  status: LabStatus;
}

/** A lab autosaved by a session that did not end cleanly (main/service/autosave.ts). */
export interface Recovery {
  labName: string;
  /** When it was last autosaved (wall clock, ms since the epoch). */
  savedAtMs: number;
  /** Its file text. */
  text: string;
}

/** What importing a capture file did (main/trace/import.ts, trace-import.ts). */
export interface ImportReport {
  /** 'trace': a Packet Lab trace file (SQLite), kernel records included. */
  format: 'pcap' | 'pcapng' | 'trace';
  packets: number;
  /** Packets left out (not Ethernet, or shorter than an Ethernet header). */
  skipped: number;
  /** Where the file stopped being readable; the packets before it were imported. */
  damage?: { offset: number; reason: string };
  /** Absolute time of the first packet (ns since the epoch): time 0 of the imported trace (0 for a trace: lab time). */
  startNs: number;
  /** A trace's lab name. */
  lab?: string;
}

export type ImportResult = { ok: true; state: LabState; report: ImportReport } | { ok: false; error: string };

/** What Capture offers to open (the page's file picker, the desktop's dialog): captures, then Packet Lab traces. */
export const CAPTURE_EXTENSIONS = ['pcapng', 'pcap', 'cap', 'sqlite', 'db'] as const;
/** The page's file picker filter for the same (an `accept` attribute). */
export const CAPTURE_ACCEPT = `${CAPTURE_EXTENSIONS.map((e) => `.${e}`).join(',')},application/vnd.tcpdump.pcap`;

/** The largest capture file the app imports (the WebSocket transport carries it as base64). */
export const IMPORT_MAX_BYTES = 14 * 1024 * 1024;

/**
 * Why a capture over IMPORT_MAX_BYTES is refused, and what to do instead: of a named file of known
 * size (the page, the service), or of an upload known only to be too large (the API's own check).
 */
export function importTooLargeMessage(file?: { name: string; bytes: number }): string {
  const what = file
    ? `${file.name} is ${file.bytes} bytes; the app imports captures up to ${IMPORT_MAX_BYTES} bytes`
    : `the capture is larger than the ${IMPORT_MAX_BYTES} bytes the app imports`;
  return `${what} (cut it with editcap, or use tshark); a larger trace or capture opens with the desktop app's Capture button, or with \`npm run web -- --trace FILE\``;
}

export type OpenLabResult = { ok: true; state: LabState } | { ok: false; errors: LabError[] };

/** A capture point's view: every capture row at one machine's NICs, or at one NIC. */
export interface CapturePointRef {
  machine: string;
  nic?: string;
}

/** Rows the packet list asks listFrames for at a time (pages start at multiples of it). */
export const LIST_PAGE_ROWS = 200;

export interface FrameQuery {
  offset: number;
  limit: number;
  /** false (default): each frame once, at its first capture point; true: every capture point. */
  allCapturePoints?: boolean;
  /**
   * A display filter (shared/filter, Wireshark's syntax) on the default view: the page and total
   * are of the frames it selects. An invalid filter is refused with its position and reason.
   */
  filter?: string;
  /**
   * One capture point's view instead of the default view: every capture row at that machine's NICs
   * (or that one NIC), as a capture there would hold them; a filter then applies to those rows.
   */
  point?: CapturePointRef;
}

export interface FramePage {
  total: number;
  rows: FrameRow[];
}

export interface FrameDetail {
  row: FrameRow;
  bytesBase64: string;
  tree: DissectNode[];
  /** tcp.stream of a TCP frame of the default view (what Follow TCP Stream follows). */
  tcpStream?: number;
  /** The syscall that put this frame on the wire (connect -> SYN, close -> FIN...), when one did. */
  sentBy?: SentBy;
}

export interface SentBy {
  machine: string;
  pid: number;
  process: string;
  /** As strace shows it: `connect(3, 10.0.0.10:21)`. */
  call: string;
  atNs: number;
}

/** Capture files (pcapng: every capture point; pcap: each frame once; either: the chosen rows when a filter or point is given) and the packet list as text. */
export const EXPORT_FORMATS = ['pcapng', 'pcap', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportResult {
  fileName: string;
  mimeType: string;
  dataBase64: string;
}

/** Calls: every one returns a Promise on the renderer side. */
export interface LabApi {
  getState(): Promise<LabState>;
  /** Replace the lab with the given file text; nothing changes when it is invalid. */
  openLab(text: string): Promise<OpenLabResult>;
  /**
   * Replace the lab with an edited document (the editor's), applied to the running simulation
   * without a restart: machines and cables added or removed, link parameters retuned, a machine
   * whose settings changed re-created (its consoles close). Nothing changes when it is invalid.
   */
  editLab(doc: LabDoc): Promise<OpenLabResult>;
  /** The current lab as file text (positions included). */
  saveLab(): Promise<string>;
  /** The lab the previous session left behind when it did not end cleanly, or null. */
  getRecovery(): Promise<Recovery | null>;
  /** Open the recovered lab ('recover', like openLab) or drop it ('discard'); it is not offered again. */
  settleRecovery(choice: 'recover' | 'discard'): Promise<OpenLabResult | null>;
  moveMachine(id: string, x: number, y: number): Promise<void>;
  run(): Promise<LabStatus>;
  pause(): Promise<LabStatus>;
  /**
   * Pause and go one step: the next event ('event', the default), or on until a frame is captured
   * at some NIC or dropped ('frame'; at most STEP_FRAME_LIMIT_NS of lab time). Returns the new status.
   */
  step(unit?: StepUnit): Promise<LabStatus>;
  /** Restart the lab at time 0 with an empty trace. */
  reset(): Promise<LabState>;
  setSpeed(speed: Speed): Promise<LabStatus>;
  /** Open a terminal on a machine: a new shell session (like opening a new terminal window). */
  openConsole(machine: string): Promise<{ consoleId: string }>;
  /** Keystrokes as a terminal sends them ("\r" for Enter, "\x03" for Ctrl-C). */
  consoleInput(consoleId: string, data: string): Promise<void>;
  closeConsole(consoleId: string): Promise<void>;
  listFrames(query: FrameQuery): Promise<FramePage>;
  /** The NICs (switch ports included) that have captured frames in this trace, in order of their first frame. */
  capturePoints(): Promise<{ machine: string; nic: string }[]>;
  getFrame(no: number): Promise<FrameDetail | null>;
  /** Drops of this run in order (`offset` counts from 0; status.dropCount is how many there are). */
  listDrops(query: { offset: number; limit: number }): Promise<DropRecord[]>;
  /**
   * The trace as a file. With a display filter, only the frames it selects, each once (Wireshark's
   * Export Specified Packets, displayed); an invalid filter is refused like listFrames refuses it.
   * With a capture point, that point's rows (filtered or not), as a capture there would hold them.
   */
  exportCapture(format: ExportFormat, filter?: string, point?: CapturePointRef): Promise<ExportResult>;
  /**
   * Open a pcap or pcapng file made by another tool in the inspector: the lab is replaced by an empty
   * one named after the file whose trace holds the file's packets (the kernel side is empty). A file
   * that is not a capture changes nothing; a damaged one gives what was valid before the damage.
   * A Packet Lab trace file (SQLite, from `run --db` or the app) opens the same way, with its
   * kernel records (deliveries, drops, syscalls). Browser mode's Capture button uploads through this.
   */
  importCapture(fileName: string, dataBase64: string): Promise<ImportResult>;
  /** Follow TCP Stream: what each side of tcp.stream == `stream` sent, in order. */
  followStream(stream: number): Promise<FollowStream>;
  /** The flow graph (sequence diagram) of a stream, of what a display filter selects, or of every frame. */
  flowGraph(query: FlowQuery): Promise<FlowGraph>;
  /** Frames and bytes per interval (the I/O graph), of every frame and of what a filter selects. */
  ioGraph(query: IoGraphQuery): Promise<IoGraph>;
  /** Conversations and endpoints (Ethernet, IPv4, TCP, UDP) of the whole trace. */
  trafficStats(): Promise<TrafficStats>;
  /** Sockets, processes (with fd tables) and counters of one machine, now. */
  getMachineState(machine: string): Promise<MachineState>;
  /** A switch's or hub's ports and MAC table, now. */
  getSwitchState(machine: string): Promise<SwitchState>;
  /** How the frame with this number was delivered by each machine that received it. */
  getDelivery(no: number): Promise<Delivery[]>;
  /** Every service of the catalogue (shared/kernel/services.ts) on a machine, running or not. */
  listServices(machine: string): Promise<ServiceStatus[]>;
  /**
   * Run `service NAME start [PORT]` as root inside the machine (the console's code path and errors:
   * a taken port fails with exit status 1 and the daemon's reason, e.g. "port 21 in use by ftpd pid 412").
   * The command needs a little lab time (it waits for the daemon to reach accept()): the lab runs
   * on until it has finished, even when paused.
   */
  startService(machine: string, name: string, port?: number): Promise<ServiceCommandResult>;
  /** Run `service NAME stop` as root inside the machine. */
  stopService(machine: string, name: string): Promise<ServiceCommandResult>;
  /** The machine's log (what its daemons logged through syslog), oldest first. */
  machineLog(machine: string, query?: LogQuery): Promise<LogLine[]>;
  /**
   * Expose machine:port (TCP) on 127.0.0.1:localPort (0: any free port) for real programs. The first
   * bridge adds a gateway machine to the running lab; bridged labs run in real time (1x). A reset or
   * another lab closes every bridge. Returns every bridge after the change.
   */
  startBridge(machine: string, port: number, localPort?: number): Promise<BridgeStatus[]>;
  stopBridge(localPort: number): Promise<BridgeStatus[]>;
  listBridges(): Promise<BridgeStatus[]>;
}

export type LabMethod = keyof LabApi;

export type LabEvent =
  | { type: 'status'; status: LabStatus }
  | { type: 'lab'; state: LabState }
  | { type: 'console'; consoleId: string; data: string }
  /**
   * Something the person must know about from the host: the simulation stopped on an internal error
   * (the lab is paused; the message says what and when), or autosaving failed.
   */
  | { type: 'fault'; message: string };

/** Electron IPC channel names (main/app and main/preload). */
export const IPC_CALL = 'lab:call';
export const IPC_EVENT = 'lab:event';
/** The desktop's Capture button: main shows the native dialog, so the page never names a path. */
export const IPC_OPEN_FILE = 'lab:open-file';

/** What the desktop's open dialog opened: null when the person cancelled it. */
export type OpenedFile = { fileName: string; result: ImportResult } | null;
