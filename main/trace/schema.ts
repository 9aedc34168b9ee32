// The trace database, version by version. Each entry is applied once, in order, inside a
// transaction (migrations.ts). Never edit a released entry: add the next one.

import type Database from 'better-sqlite3';
import { convertFramesToChunks } from './migrate-v9';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** A data step run after `sql`, in the same transaction. */
  convert?: (db: Database.Database) => void;
}

const V1 = `
-- One row per run of a lab. started_wall_ms is metadata only: nothing in a capture depends on it.
-- base_no: the frame.no before this capture's first frame, so the packet list counts from 1.
CREATE TABLE capture (
  id INTEGER PRIMARY KEY,
  lab TEXT NOT NULL,
  seed INTEGER,
  started_wall_ms INTEGER,
  base_no INTEGER NOT NULL
);

-- A capture point: a NIC (switch ports included). One pcapng Interface Description Block each.
CREATE TABLE interface (
  id INTEGER PRIMARY KEY,
  capture INTEGER NOT NULL REFERENCES capture (id),
  machine TEXT NOT NULL,
  nic TEXT NOT NULL,
  UNIQUE (capture, machine, nic)
);

-- One row per frame per capture point; no = capture order (Wireshark's frame.number in a pcapng
-- export of all capture points, offset by capture.base_no).
-- first_no: the row's position in the default view (first = 1), NULL for the other capture points;
-- it is what lets the packet list page by key instead of OFFSET.
CREATE TABLE frame (
  no INTEGER PRIMARY KEY,
  capture INTEGER NOT NULL REFERENCES capture (id),
  frame_id INTEGER NOT NULL,
  first INTEGER NOT NULL CHECK (first IN (0, 1)),
  first_no INTEGER,
  time_ns INTEGER NOT NULL,
  interface INTEGER NOT NULL REFERENCES interface (id),
  dir TEXT NOT NULL CHECK (dir IN ('rx', 'tx')),
  length INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  eth_src INTEGER NOT NULL,
  eth_dst INTEGER NOT NULL,
  ethertype INTEGER NOT NULL,
  ip_src INTEGER,
  ip_dst INTEGER,
  ip_proto INTEGER,
  src_port INTEGER,
  dst_port INTEGER,
  icmp_type INTEGER,
  icmp_code INTEGER,
  tcp_flags INTEGER,
  tcp_seq INTEGER,
  tcp_ack INTEGER,
  protocol TEXT NOT NULL,
  src TEXT NOT NULL,
  dst TEXT NOT NULL,
  info TEXT NOT NULL
);
CREATE UNIQUE INDEX frame_default_view ON frame (capture, first_no) WHERE first_no IS NOT NULL;
CREATE INDEX frame_frame_id ON frame (capture, frame_id);
CREATE INDEX frame_ip_src ON frame (ip_src) WHERE ip_src IS NOT NULL;
CREATE INDEX frame_ip_dst ON frame (ip_dst) WHERE ip_dst IS NOT NULL;
CREATE INDEX frame_src_port ON frame (src_port) WHERE src_port IS NOT NULL;
CREATE INDEX frame_dst_port ON frame (dst_port) WHERE dst_port IS NOT NULL;

CREATE TABLE kernel_event (
  id INTEGER PRIMARY KEY,
  capture INTEGER NOT NULL REFERENCES capture (id),
  time_ns INTEGER NOT NULL,
  machine TEXT NOT NULL,
  type TEXT NOT NULL,
  reason TEXT,
  frame_id INTEGER,
  text TEXT NOT NULL
);
CREATE INDEX kernel_event_frame ON kernel_event (capture, frame_id) WHERE frame_id IS NOT NULL;
`;

// Structured detail of a kernel event as JSON (a Delivery for type 'deliver': the lookup steps,
// the socket, queue and state change the UI's "how it was delivered" view shows).
const V2 = `
ALTER TABLE kernel_event ADD COLUMN data TEXT;
CREATE INDEX kernel_event_type_frame ON kernel_event (capture, type, frame_id) WHERE frame_id IS NOT NULL;
`;

// The single-column address/port indexes of V1 were never queried (the packet list pages by
// frame_default_view, details by frame_frame_id) yet cost four B-tree inserts per capture row: ~12%
// of ingest in the 100 MB bulk benchmark. The display-filter engine (issue 6) adds the composite
// indexes its plans use.
const V3 = `
DROP INDEX frame_ip_src;
DROP INDEX frame_ip_dst;
DROP INDEX frame_src_port;
DROP INDEX frame_dst_port;
`;

// A frame seen at several capture points (a cable's two ends, a switch's ports) has the same bytes
// at each: storing them once halves what a two-point capture writes, and the writer thread's disk
// traffic was the ingest bottleneck (the 100 MB bulk benchmark wrote ~300 MB of blobs, twice
// through the WAL). A row either holds its bytes or names the row that does (bytes_of = that row's
// no); FRAME_BYTES reads either. SQLite cannot relax NOT NULL in place, so the table is rebuilt.
// The same ingest measurements retire an index of kernel_event (below).
const V4 = `
CREATE TABLE frame_v4 (
  no INTEGER PRIMARY KEY,
  capture INTEGER NOT NULL REFERENCES capture (id),
  frame_id INTEGER NOT NULL,
  first INTEGER NOT NULL CHECK (first IN (0, 1)),
  first_no INTEGER,
  time_ns INTEGER NOT NULL,
  interface INTEGER NOT NULL REFERENCES interface (id),
  dir TEXT NOT NULL CHECK (dir IN ('rx', 'tx')),
  length INTEGER NOT NULL,
  bytes BLOB,
  bytes_of INTEGER,
  eth_src INTEGER NOT NULL,
  eth_dst INTEGER NOT NULL,
  ethertype INTEGER NOT NULL,
  ip_src INTEGER,
  ip_dst INTEGER,
  ip_proto INTEGER,
  src_port INTEGER,
  dst_port INTEGER,
  icmp_type INTEGER,
  icmp_code INTEGER,
  tcp_flags INTEGER,
  tcp_seq INTEGER,
  tcp_ack INTEGER,
  protocol TEXT NOT NULL,
  src TEXT NOT NULL,
  dst TEXT NOT NULL,
  info TEXT NOT NULL,
  CHECK ((bytes IS NULL) <> (bytes_of IS NULL))
);
INSERT INTO frame_v4 SELECT no, capture, frame_id, first, first_no, time_ns, interface, dir, length, bytes, NULL,
  eth_src, eth_dst, ethertype, ip_src, ip_dst, ip_proto, src_port, dst_port, icmp_type, icmp_code, tcp_flags, tcp_seq, tcp_ack,
  protocol, src, dst, info FROM frame;
DROP TABLE frame;
ALTER TABLE frame_v4 RENAME TO frame;
CREATE UNIQUE INDEX frame_default_view ON frame (capture, first_no) WHERE first_no IS NOT NULL;
CREATE INDEX frame_frame_id ON frame (capture, frame_id);
-- Kernel events of one frame are few: kernel_event_frame finds them, and the type is filtered
-- from that handful; a second index cost every kernel row one more B-tree insert.
DROP INDEX kernel_event_type_frame;
`;

// A machine's log view (the daemons' syslog lines) pages through its 'log' events: a partial index
// costs only those rows at ingest, not the delivery records. Queries name the type as a literal
// (store.ts) so SQLite can use it.
const V5 = `
CREATE INDEX kernel_event_log ON kernel_event (capture, machine, id) WHERE type = 'log';
`;

// A row that names its holder (bytes_of) repeats none of the holder's decoded columns either: they
// are functions of the bytes. The second capture point of each frame then costs a narrow row, where
// it cost as much as the first (~20% of ingest in the 100 MB bulk benchmark). Readers take the
// columns through frameColumn(). Rebuilt like V4: SQLite cannot drop NOT NULL in place.
const V6 = `
CREATE TABLE frame_v6 (
  no INTEGER PRIMARY KEY,
  capture INTEGER NOT NULL REFERENCES capture (id),
  frame_id INTEGER NOT NULL,
  first INTEGER NOT NULL CHECK (first IN (0, 1)),
  first_no INTEGER,
  time_ns INTEGER NOT NULL,
  interface INTEGER NOT NULL REFERENCES interface (id),
  dir TEXT NOT NULL CHECK (dir IN ('rx', 'tx')),
  length INTEGER NOT NULL,
  bytes BLOB,
  bytes_of INTEGER,
  eth_src INTEGER,
  eth_dst INTEGER,
  ethertype INTEGER,
  ip_src INTEGER,
  ip_dst INTEGER,
  ip_proto INTEGER,
  src_port INTEGER,
  dst_port INTEGER,
  icmp_type INTEGER,
  icmp_code INTEGER,
  tcp_flags INTEGER,
  tcp_seq INTEGER,
  tcp_ack INTEGER,
  protocol TEXT,
  src TEXT,
  dst TEXT,
  info TEXT,
  CHECK ((bytes IS NULL) <> (bytes_of IS NULL)),
  CHECK (bytes_of IS NOT NULL OR (eth_src IS NOT NULL AND eth_dst IS NOT NULL AND ethertype IS NOT NULL AND protocol IS NOT NULL AND src IS NOT NULL AND dst IS NOT NULL AND info IS NOT NULL)),
  CHECK (bytes_of IS NULL OR (eth_src IS NULL AND eth_dst IS NULL AND ethertype IS NULL AND ip_src IS NULL AND ip_dst IS NULL AND ip_proto IS NULL
    AND src_port IS NULL AND dst_port IS NULL AND icmp_type IS NULL AND icmp_code IS NULL AND tcp_flags IS NULL AND tcp_seq IS NULL AND tcp_ack IS NULL
    AND protocol IS NULL AND src IS NULL AND dst IS NULL AND info IS NULL))
);
INSERT INTO frame_v6 SELECT no, capture, frame_id, first, first_no, time_ns, interface, dir, length, bytes, bytes_of,
  eth_src, eth_dst, ethertype, ip_src, ip_dst, ip_proto, src_port, dst_port, icmp_type, icmp_code, tcp_flags, tcp_seq, tcp_ack,
  protocol, src, dst, info FROM frame WHERE bytes_of IS NULL;
INSERT INTO frame_v6 (no, capture, frame_id, first, first_no, time_ns, interface, dir, length, bytes_of)
  SELECT no, capture, frame_id, first, first_no, time_ns, interface, dir, length, bytes_of FROM frame WHERE bytes_of IS NOT NULL;
DROP TABLE frame;
ALTER TABLE frame_v6 RENAME TO frame;
CREATE UNIQUE INDEX frame_default_view ON frame (capture, first_no) WHERE first_no IS NOT NULL;
CREATE INDEX frame_frame_id ON frame (capture, frame_id);
`;

// Drops are paged on their own (the canvas flashes where frames were dropped, listDrops): a partial
// index costs only the drop rows at ingest.
const V7 = `
CREATE INDEX kernel_event_drop ON kernel_event (capture, id) WHERE type = 'drop';
`;

// frame_frame_id served no query of the frame table (kernel notes are found by kernel_event_frame;
// export scans its selection) yet cost every capture row one more B-tree insert.
const V8 = `
DROP INDEX frame_frame_id;
`;

// Frames in chunks: a row per capture row capped ingest at ~70,000 frames/s (2 capture rows per
// frame, each a B-tree insert with its blob) where the issue asks for 300,000. A chunk is a
// writer batch of consecutive capture rows: one frame_chunk row with the frames' bytes (each
// frame's once), and one frame_column row per column (columns.ts), each a typed array, so a display
// filter reads only the columns it names (a few MB for 1M frames). The packet list's texts are not
// stored: they are the frame's summary (shared/wire summarize) with the relative seq/ack columns,
// made for the rows a page shows (~1 us a row) instead of for every frame written.
// Chunk metadata (first_no, rows, first_pos, view_rows) is small and kept in memory by readers.
// The old rows are converted by migrate-v9.ts, then the frame table is dropped.
const V9 = `
CREATE TABLE frame_chunk (
  capture INTEGER NOT NULL REFERENCES capture (id),
  -- frame.no of the chunk's first row; its rows are first_no .. first_no + rows - 1.
  first_no INTEGER NOT NULL,
  rows INTEGER NOT NULL CHECK (rows > 0),
  -- Default-view rows before the chunk, and in it.
  first_pos INTEGER NOT NULL,
  view_rows INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY (capture, first_no)
);
CREATE TABLE frame_column (
  capture INTEGER NOT NULL REFERENCES capture (id),
  chunk INTEGER NOT NULL,
  name TEXT NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (capture, name, chunk)
);
`;

// frame_column's key in chunk order: keyed by name first, every commit inserted one key per column
// all over the key index (each of its ~7 pages of 64 KB rewritten per batch, 0.25 GB of WAL per 1M
// frames); keyed by chunk first, a commit appends at the index's end. A filter reading one column
// over a range of chunks still walks the index in order, stepping over the other names' keys.
// The rebuild frees the old table's pages inside the file; later writes reuse them (no VACUUM).
const V10 = `
CREATE TABLE frame_column_v10 (
  capture INTEGER NOT NULL REFERENCES capture (id),
  chunk INTEGER NOT NULL,
  name TEXT NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (capture, chunk, name)
);
INSERT INTO frame_column_v10 (capture, chunk, name, data) SELECT capture, chunk, name, data FROM frame_column ORDER BY capture, chunk, name;
DROP TABLE frame_column;
ALTER TABLE frame_column_v10 RENAME TO frame_column;
`;

// A kernel event's data (kernel-data.ts) once per distinct text: the delivery records of a
// connection's segments are mostly the same text (~270 bytes, a handful of values per connection),
// and written with each event they were a fifth of a traced bulk transfer's bytes and ~8% of its
// wall time. The writer looks each batch's distinct texts up by the unique index (a few per batch).
const V11 = `
CREATE TABLE kernel_data (
  data_id INTEGER PRIMARY KEY,
  data TEXT NOT NULL UNIQUE
);
INSERT INTO kernel_data (data) SELECT DISTINCT data FROM kernel_event WHERE data IS NOT NULL;
ALTER TABLE kernel_event ADD COLUMN data_id INTEGER REFERENCES kernel_data (data_id);
UPDATE kernel_event SET data_id = (SELECT data_id FROM kernel_data WHERE kernel_data.data = kernel_event.data) WHERE data IS NOT NULL;
ALTER TABLE kernel_event DROP COLUMN data;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial trace schema', sql: V1 },
  { version: 2, name: 'kernel event data (delivery records)', sql: V2 },
  { version: 3, name: 'drop unqueried address/port indexes', sql: V3 },
  { version: 4, name: 'frame bytes stored once per frame (bytes_of); one kernel_event index', sql: V4 },
  { version: 5, name: 'partial index for machine logs', sql: V5 },
  { version: 6, name: 'decoded columns stored once per frame, with its bytes', sql: V6 },
  { version: 7, name: 'partial index for drops', sql: V7 },
  { version: 8, name: 'drop the unqueried frame_id index', sql: V8 },
  { version: 9, name: 'frames in chunks of columns', sql: V9, convert: convertFramesToChunks },
  { version: 10, name: 'frame columns keyed by chunk first', sql: V10 },
  { version: 11, name: 'kernel event data once per distinct text', sql: V11 },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
