// main/trace: the SQLite trace store and the capture file formats. The one door of this module.
export { TraceStore, assertNapi10, NAPI_REQUIRED_MESSAGE, UnreadableRecordError } from './store';
export type { TraceStoreOptions, FrameListQuery, KernelEventQuery } from './store';
export type { CaptureMeta, CaptureInfo } from './capture-state';
export { PcapngWriter, LINKTYPE_ETHERNET } from './pcapng';
export type { PcapngWriterOptions } from './pcapng';
export { PcapWriter } from './pcap';
export { readCapture } from './read';
export { readPcapng, isPcapng } from './pcapng-read';
export { readPcap, isPcap } from './pcap-read';
export type { CaptureReadResult, CapturedPacket, CaptureInterface, CaptureDamage } from './read-types';
export { SCHEMA_VERSION } from './schema';
export { FilterView } from './filter-view';
export type { ScannedFrame, CapturePointQuery } from './store';
export { TraceIndex } from './trace-index';
export { followStream, flowGraph } from './analyze';
export { toBase64 } from './base64';
export type { PcapngExportOptions, ExportSelection } from './export';
export { listCsv, listJson, listRows, LIST_COLUMNS } from './list-export';
