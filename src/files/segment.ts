import type {FileHandle} from "node:fs/promises";

/**
 * Bytes `start..end` (inclusive) of one file: a path (opened through the shared open files), or a
 * handle the caller opened (and closes) so that what it measured is exactly what is sent.
 */
export interface Segment {
  file: string | FileHandle;
  start: number;
  end: number;
  /** The file's identity when it was measured (OpenFile.key): another file at the path is refused. */
  identity?: string;
  /** The file's bytes already in memory, `data[0]` being byte `offset` of the file: sent without reading. */
  memory?: {data: Buffer; offset: number};
}

/** Bytes held in memory as a segment of their own (`file` names them in errors; nothing is read). */
export function memorySegment(data: Buffer, file = "memory"): Segment {
  return {file, start: 0, end: data.length - 1, memory: {data, offset: 0}};
}
