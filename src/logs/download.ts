import {escapeControlCharacters, type LogLevel} from "../core/logger.js";
import {REDACTED_KINDS, type RedactionContext, Redactor} from "./redact.js";
import type {LogEntry} from "./types.js";

const LABEL: Record<LogLevel, string> = {debug: "DEBUG", info: "INFO", warning: "WARNING", error: "ERROR"};

export interface LogDownload {
  filename: string;
  text: string;
}

/**
 * The Logs view's download: a short header, then each line as the add-on log prints it, redacted
 * for a public issue. One redactor for the whole file, so an alias means one id throughout.
 */
export function logDownload(
  entries: readonly LogEntry[],
  context: RedactionContext,
  about: {version: string; now: Date; filters: string[]},
): LogDownload {
  const redactor = new Redactor(context);
  const iso = about.now.toISOString();
  const header = [
    `# Yoto Smart Stream ${about.version}, log downloaded ${iso}`,
    `# redacted: ${REDACTED_KINDS}`,
    // The filters are what the user typed: redacted and kept on one line like the rest.
    redactor.line(
      escapeControlCharacters(
        `# ${entries.length} line${entries.length === 1 ? "" : "s"}${about.filters.length ? ` (${about.filters.join(", ")})` : ""}`,
      ),
    ),
  ];
  const lines = entries.map((e) => {
    const ns = e.namespace ? ` (${e.namespace})` : "";
    return redactor.line(`[${e.at.replace("T", " ").slice(0, 19)}] ${LABEL[e.level]}${ns}: ${e.message}`);
  });
  return {filename: `yoto-smart-stream-${iso.slice(0, 10)}.log`, text: `${[...header, ...lines].join("\n")}\n`};
}
