import os from "node:os";
import {escapeControlCharacters, type LogLevel} from "../core/logger.js";
import type {DiagnosticsBundle} from "../shared/api/diagnostics.js";
import {REDACTED_KINDS, type RedactionContext, Redactor} from "./redact.js";
import type {LogEntry} from "./types.js";

/** Log lines in a bundle: enough to see what led up to a fault, small enough to attach. */
export const DIAGNOSTIC_LOG_LINES = 200;

export interface DiagnosticsSources {
  version: string;
  /** The options in effect; the secret ones are masked here, whatever the caller passes. */
  options: Record<string, unknown>;
  secretOptions: readonly string[];
  players: unknown[];
  health: unknown;
  broker: Record<string, unknown>;
  /** The newest lines last; only the last DIAGNOSTIC_LOG_LINES are kept. */
  logs: readonly LogEntry[];
  ffmpeg?: string;
  redaction: RedactionContext;
  now: Date;
}

const LABEL: Record<LogLevel, string> = {debug: "DEBUG", info: "INFO", warning: "WARNING", error: "ERROR"};
const MASKED = "**redacted**";

/**
 * What a user attaches to a bug report: versions, options, players, health, broker and the last
 * log lines, in one JSON file. Everything goes through the log download's redactor (one for the
 * whole bundle, so `player-1` is the same player in the players list and in the log lines), and the
 * secret options say only whether they were set.
 */
export function diagnosticsBundle(src: DiagnosticsSources): {filename: string; bundle: DiagnosticsBundle} {
  const redactor = new Redactor(src.redaction);
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(src.options))
    options[key] = src.secretOptions.includes(key) && value !== undefined && value !== "" ? MASKED : value;
  const lines = src.logs.slice(-DIAGNOSTIC_LOG_LINES).map((e) => {
    const ns = e.namespace ? ` (${e.namespace})` : "";
    return escapeControlCharacters(`[${e.at.replace("T", " ").slice(0, 19)}] ${LABEL[e.level]}${ns}: ${e.message}`);
  });
  const {login: _login, ...broker} = src.broker;
  const raw = {
    generated: src.now.toISOString(),
    redacted: `${REDACTED_KINDS}; secret options show only that they are set`,
    versions: {
      service: src.version,
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      ...(src.ffmpeg ? {ffmpeg: src.ffmpeg} : {}),
    },
    options,
    players: src.players,
    health: src.health,
    broker,
    logs: lines,
  };
  const bundle = redactDeep(raw, redactor) as DiagnosticsBundle;
  const stamp = src.now.toISOString().replace(/[:.]/g, "-").slice(0, 19);
  return {filename: `yoto-smart-stream-diagnostics-${stamp}Z.json`, bundle};
}

/** Every string in the tree, keys included, through the redactor; numbers and flags as they are. */
function redactDeep(value: unknown, redactor: Redactor): unknown {
  if (typeof value === "string") return redactor.line(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redactor));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactor.line(k)] = redactDeep(v, redactor);
    return out;
  }
  return value;
}
