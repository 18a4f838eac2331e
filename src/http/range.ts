/**
 * `Range: bytes=…` per RFC 9110 §14. Pure, so every edge case is unit-tested without a server.
 *
 * - invalid syntax or another unit → ignore the header and send the whole body (§14.2 allows it);
 * - every range starts past the end → 416 with `Content-Range: bytes * /size`;
 * - ranges that overlap or touch are coalesced (§14.2 permits it); if one range remains it is served
 *   as 206, otherwise the header is ignored and the whole body sent — simpler for clients than
 *   multipart/byteranges and what players never ask for anyway.
 */
export type RangeResult = {kind: "full"} | {kind: "partial"; start: number; end: number} | {kind: "unsatisfiable"};

// More ranges than this is an abuse pattern (RFC 9110 §17.15); treat it as no range at all.
const MAX_RANGES = 16;

export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return {kind: "full"};
  const match = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!match) return {kind: "full"};
  const specs = (match[1] as string).split(",").map((s) => s.trim());
  if (specs.length > MAX_RANGES) return {kind: "full"};

  const ranges: Array<{start: number; end: number}> = [];
  for (const spec of specs) {
    const parts = /^(\d*)-(\d*)$/.exec(spec);
    if (!parts || (parts[1] === "" && parts[2] === "")) return {kind: "full"};
    const [, first, last] = parts as unknown as [string, string, string];
    if (first === "") {
      // Suffix range: the last N bytes. "-0" asks for nothing and cannot be satisfied.
      const length = Number(last);
      if (length > 0 && size > 0) ranges.push({start: Math.max(0, size - length), end: size - 1});
      continue;
    }
    const start = Number(first);
    const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== "" && Number(last) < start) return {kind: "full"};
    if (start < size) ranges.push({start, end});
  }
  if (ranges.length === 0) return {kind: "unsatisfiable"};

  ranges.sort((a, b) => a.start - b.start);
  const merged = [ranges[0] as {start: number; end: number}];
  for (const r of ranges.slice(1)) {
    const lastRange = merged[merged.length - 1] as {start: number; end: number};
    if (r.start <= lastRange.end + 1) lastRange.end = Math.max(lastRange.end, r.end);
    else merged.push({...r});
  }
  if (merged.length > 1) return {kind: "full"};
  const only = merged[0] as {start: number; end: number};
  return {kind: "partial", start: only.start, end: only.end};
}
