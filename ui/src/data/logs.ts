import type {LogEntry, LogsPage} from "../../../src/shared/api/index.js";
import {get, withQuery} from "./http.js";

export type {LogEntry, LogsPage} from "../../../src/shared/api/index.js";
export type LogLevel = LogEntry["level"];

/** What the Logs view shows: lines at `level` or above, containing `q`, about `player` (an id). */
export interface LogFilter {
  level: LogLevel;
  q: string;
  player: string;
}

export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warning", "error"];
const RANK: Record<LogLevel, number> = {debug: 0, info: 1, warning: 2, error: 3};

function query(filter: LogFilter): Record<string, string> {
  return {level: filter.level, q: filter.q.trim(), player: filter.player};
}

/** Lines after `after` (a `seq`), oldest first; the newest `limit` of them. */
export const getLogs = (filter: LogFilter, opts: {after?: number; limit?: number} = {}) =>
  get<LogsPage>("api/logs", {...query(filter), after: opts.after, limit: opts.limit});

/**
 * The redacted download for the same filters. Relative, like every API path, so it resolves under
 * Home Assistant's ingress prefix.
 */
export function logsDownloadUrl(filter: LogFilter): string {
  return withQuery("api/logs/download", query(filter));
}

/**
 * Whether a live line belongs on screen under `filter`, by the rules the service applies to
 * `api/logs` (the level or above; the text, ignoring case, in the message or the namespace; the
 * player's id or name in the message), so lines that arrive live and lines loaded agree.
 */
export function logMatches(entry: LogEntry, filter: LogFilter, playerName?: string): boolean {
  if (RANK[entry.level] < RANK[filter.level]) return false;
  const message = entry.message.toLowerCase();
  const q = filter.q.trim().toLowerCase();
  if (q && !message.includes(q) && !entry.namespace.toLowerCase().includes(q)) return false;
  if (!filter.player) return true;
  return (
    message.includes(filter.player.toLowerCase()) || Boolean(playerName && message.includes(playerName.toLowerCase()))
  );
}
