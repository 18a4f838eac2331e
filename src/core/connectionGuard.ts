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
  /**
   * HTTP only: once the listener is past half its total, connections that have carried nothing for
   * this long are closed, the busiest addresses' first (an MQTT client may rightly sit quiet).
   */
  closeIdleWhenBusyMs?: number;
}

/** Enough for a family's players behind one NAT, each with a few keep-alive connections. */
export const DEFAULT_PER_CLIENT = 128;
/** Files, SQLite, ffmpeg pipes, the cloud connection and the log need descriptors of their own. */
const RESERVED_DESCRIPTORS = 256;
/** Below this many open files a busy household can run out; say how to raise it. */
export const COMFORTABLE_OPEN_FILES = 4096;

/** Past this share of the total, the listener is busy: no address may take more than its fair share. */
const BUSY_AT = 0.5;
/** An address's share of a busy listener: an eighth of the total, never fewer than this. */
const MIN_FAIR_SHARE = 8;
/** The last quarter of the total is kept for addresses holding fewer than this (a player holds a few). */
const RESERVED_FOR_LIGHT = 0.75;
const LIGHT = 4;

interface Tracked {
  socket: Socket;
  /** When it last received or sent a byte, as far as the sweep has seen. */
  activeAt: number;
  /** Bytes read and written when the sweep last looked: a change is activity. */
  moved: number;
}

/**
 * Cap one server's connections. Every open socket costs a file descriptor, and when the process
 * runs out, every listener (and every file open) fails at once: 1,050 idle connections from one
 * address did that under the common 1024 limit. Closing the excess at accept keeps descriptors for
 * everyone else. A few addresses could still fill the total between them (4 × 120 idle connections
 * refused real players for minutes), so once the listener is busy an address holding its fair
 * share gets no more, its last quarter is kept for addresses holding only a few (players), and on
 * HTTP listeners idle connections are closed sooner, busiest first.
 */
export function guardConnections(server: Server, caps: ConnectionCaps, log: Logger): void {
  server.maxConnections = caps.total;
  const exempt = new Set((caps.exempt ?? []).map(normalizeAddress));
  const open = new Map<string, Set<Tracked>>();
  let total = 0;
  const warnedAt = new Map<string, number>();
  const fairShare = Math.max(MIN_FAIR_SHARE, Math.floor(caps.total / 8));
  const busy = () => total >= caps.total * BUSY_AT;
  const warn = (address: string, why: string) => {
    // One line per address per minute: a flood must not become a flood of log lines.
    const now = Date.now();
    if (now - (warnedAt.get(address) ?? 0) <= 60_000) return;
    if (warnedAt.size > 1024) warnedAt.clear();
    warnedAt.set(address, now);
    log.warning(`Closed a connection from ${address}: ${why}`);
  };
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = () => {
    if (!busy() || caps.closeIdleWhenBusyMs === undefined) return;
    const now = Date.now();
    const idleSince = now - caps.closeIdleWhenBusyMs;
    // The busiest addresses first, down to their fair share, then anyone's long-idle connection.
    const byLoad = [...open.entries()].sort((a, b) => b[1].size - a[1].size);
    for (const [address, sockets] of byLoad) {
      for (const tracked of sockets) {
        const moved = tracked.socket.bytesRead + tracked.socket.bytesWritten;
        if (moved !== tracked.moved) {
          tracked.moved = moved;
          tracked.activeAt = now;
        }
        if (tracked.activeAt > idleSince || !busy()) continue;
        if (sockets.size <= fairShare && total < caps.total * 0.9) continue;
        tracked.socket.destroy();
        warn(address, `the listener is busy and it had ${sockets.size} connections, some idle`);
      }
    }
  };
  server.on("connection", (socket: Socket) => {
    const address = normalizeAddress(socket.remoteAddress);
    if (exempt.has(address)) return;
    const sockets = open.get(address) ?? new Set<Tracked>();
    if (sockets.size >= caps.perClient) {
      socket.destroy();
      warn(address, `it already has ${caps.perClient} open, the most one address may hold`);
      return;
    }
    if (busy() && sockets.size >= fairShare) {
      socket.destroy();
      warn(address, `the listener is busy and it already has ${sockets.size} open, its share while others wait`);
      return;
    }
    if (total >= caps.total * RESERVED_FOR_LIGHT && sockets.size >= LIGHT) {
      socket.destroy();
      warn(address, `the listener is nearly full and it already has ${sockets.size} open; the rest is kept for others`);
      return;
    }
    // Activity is read from the byte counters by the sweep: no listener on every chunk of every socket.
    const tracked: Tracked = {socket, activeAt: Date.now(), moved: 0};
    sockets.add(tracked);
    open.set(address, sockets);
    total++;
    socket.once("close", () => {
      total--;
      sockets.delete(tracked);
      if (sockets.size === 0) open.delete(address);
    });
    if (caps.closeIdleWhenBusyMs !== undefined && !sweeper) {
      sweeper = setInterval(sweep, Math.max(250, Math.min(caps.closeIdleWhenBusyMs / 2, 5000)));
      sweeper.unref();
    }
  });
  server.once("close", () => clearInterval(sweeper));
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
