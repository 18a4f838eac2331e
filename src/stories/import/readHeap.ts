import os from "node:os";

/**
 * The most heap a read thread takes: a 5 MB ink source peaks near 1.3 GB while inkle's compiler
 * runs. A file that needs more is refused, and the service's own heap is never at stake.
 */
export const MOST_HEAP_MB = 2048;
/**
 * The share of the machine's memory a read may take: a small Home Assistant machine (2 GB, a
 * Raspberry Pi's) keeps three quarters for Home Assistant, its add-ons and this service.
 */
const SHARE = 4;
const MB = 1024 * 1024;

/** A read thread's heap bound, and (when the machine set it) the words that say why. */
export interface ReadHeap {
  mb: number;
  why?: string;
}

/**
 * The heap a read thread may use on a machine of `machineBytes` (measured when not given): a
 * quarter of it, at most MOST_HEAP_MB. The refusal of a file that needs more says which bound it met.
 */
export function readHeap(machineBytes = machineMemory()): ReadHeap {
  const quarter = Math.floor(machineBytes / SHARE / MB);
  if (quarter >= MOST_HEAP_MB) return {mb: MOST_HEAP_MB, why: "the most a read may use"};
  return {
    mb: quarter,
    why: `a quarter of this machine's ${spokenSize(machineBytes)} of memory, the most a read may use here`,
  };
}

/**
 * The memory this service may count on: the machine's, or its container's when that is less (an
 * add-on given a memory limit). Node answers a huge number, or 0, when there is no limit.
 */
export function machineMemory(): number {
  const total = os.totalmem();
  const constrained = process.constrainedMemory?.() ?? 0;
  return constrained > 0 && constrained < total ? constrained : total;
}

/** 2147483648 -> "2.0 GB", 16777216 -> "16 MB". */
function spokenSize(bytes: number): string {
  if (bytes >= 1024 * MB) return `${(bytes / (1024 * MB)).toFixed(1)} GB`;
  return `${Math.round(bytes / MB)} MB`;
}
