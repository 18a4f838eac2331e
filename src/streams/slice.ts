import type {Segment} from "../files/segment.js";

/** Segments laid end to end: the parts that cover bytes `start..end` (inclusive) of the whole. */
export function sliceSegments(segments: readonly Segment[], start: number, end: number): Segment[] {
  const out: Segment[] = [];
  let offset = 0;
  for (const segment of segments) {
    const length = segment.end - segment.start + 1;
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + length - 1);
    if (from <= to) out.push({...segment, start: segment.start + (from - offset), end: segment.start + (to - offset)});
    offset += length;
    if (offset > end) break;
  }
  return out;
}

export function totalLength(segments: readonly Segment[]): number {
  return segments.reduce((sum, s) => sum + (s.end - s.start + 1), 0);
}
