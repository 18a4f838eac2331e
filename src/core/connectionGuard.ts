import {readFileSync} from "node:fs";
import type {Server, Socket} from "node:net";
import {normalizeAddress} from "./address.js";
import type {Logger} from "./logger.js";

export interface ConnectionCaps {
  /** Open connections on one listener; more are closed as they arrive (server.maxConnections). */
  total: number;
  /** Open connections from one address; more from it are closed, others still get in. */
  perClient: number;
  /**
   * Addresses that speak for many clients (a reverse proxy in front of players, Home Assistant's
   * ingress proxy): held only to the listener's total.
   */
  exempt?: readonly string[];
}

/** Enough for a family's players behind one NAT, each with a few keep-alive connections. */
export const DEFAULT_PER_CLIENT = 128;
/** Files, SQLite, ffmpeg pipes, the cloud connection and the log need descriptors of their own. */
const RESERVED_DESCRIPTORS = 256;
/** Below this many open files a busy household can run out; say how to raise it. */
export const COMFORTABLE_OPEN_FILES = 4096;

/**
 * Cap one server's connections. Every open socket costs a file descriptor, and when the process
 * runs out, every listener (and every file open) fails at once: 1,050 idle connections from one
 * address did that under the common 1024 limit. Closing the excess at accept keeps descriptors for
 * everyone else.
 */
export function guardConnections(server: Server, caps: ConnectionCaps, log: Logger): void {
  server.maxConnections = caps.total;
  const exempt = new Set((caps.exempt ?? []).map(normalizeAddress));
  const open = new Map<string, number>();
  const warnedAt = new Map<string, number>();
  server.on("connection", (socket: Socket) => {
    const address = normalizeAddress(socket.remoteAddress);
    if (exempt.has(address)) return;
    const count = (open.get(address) ?? 0) + 1;
    if (count > caps.perClient) {
      socket.destroy();
      // One line per address per minute: a flood must not become a flood of log lines.
      const now = Date.now();
      if (now - (warnedAt.get(address) ?? 0) > 60_000) {
        warnedAt.set(address, now);
        log.warning(
          `Closed a connection from ${address}: it already has ${caps.perClient} open, the most one address may hold`,
        );
      }
      return;
    }
    open.set(address, count);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/** The soft and hard open-file limits of this process (Linux), or undefined where unknown. */
export function openFileLimits(limitsFile = "/proc/self/limits"): {soft: number; hard: number} | undefined {
  let text: string;
  try {
    text = readFileSync(limitsFile, "utf8");
  } catch {
    return undefined;
  }
  const line = text.split("\n").find((l) => l.startsWith("Max open files"));
  const [soft, hard] = (line?.slice("Max open files".length).trim().split(/\s+/) ?? []).map((v) =>
    v === "unlimited" ? Number.POSITIVE_INFINITY : Number(v),
  );
  if (soft === undefined || hard === undefined || Number.isNaN(soft) || Number.isNaN(hard)) return undefined;
  return {soft, hard};
}

/**
 * Split the descriptors this process may open between its listeners, so that together they can
 * never exhaust them: the audio listener (players) gets the most, the admin listener and the
 * embedded broker a share each. Node cannot raise its own limit; the add-on's start script raises
 * the soft limit to the hard one before Node starts.
 */
export function connectionBudget(softLimit: number): {audio: number; admin: number; broker: number} {
  const usable = Math.max(0, Math.min(softLimit, 1_000_000) - RESERVED_DESCRIPTORS);
  return {
    audio: Math.max(64, Math.floor(usable * 0.6)),
    admin: Math.max(32, Math.floor(usable * 0.2)),
    broker: Math.max(32, Math.floor(usable * 0.15)),
  };
}
