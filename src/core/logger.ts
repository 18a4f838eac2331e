/**
 * Namespaced logger. Levels follow Home Assistant's add-on log (`debug|info|warning|error`).
 * Secrets registered with `addSecret` are replaced in every line, so call sites never have to
 * remember to redact; debug messages may be lambdas so expensive strings are built only when printed.
 * Every line is one line: control characters from player names, MQTT payloads or file names are
 * escaped centrally, so no interpolated value can forge a line or recolour the terminal.
 */
export const LOG_LEVELS = ["debug", "info", "warning", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogMessage = string | (() => string);
export type LogSink = (line: string, level: LogLevel) => void;
/** One line as written, after redaction and escaping: what in-process readers (the Logs view) keep. */
export interface LogRecord {
  at: string;
  level: LogLevel;
  namespace: string;
  message: string;
}
export type LogTap = (record: LogRecord) => void;

const RANK: Record<LogLevel, number> = {debug: 0, info: 1, warning: 2, error: 3};
const LABEL: Record<LogLevel, string> = {debug: "DEBUG", info: "INFO", warning: "WARNING", error: "ERROR"};
// Shorter values are not redacted: they would turn ordinary words into asterisks.
const MIN_SECRET_LENGTH = 4;

// \p{Cc}: C0 controls (newline, carriage return, the ESC that starts ANSI sequences), DEL and C1
// controls (NEL, U+0085, is a newline to some viewers); plus Unicode's line and paragraph separators.
const CONTROL_CHARACTERS = /[\p{Cc}\u2028\u2029]/gu;
const NAMED_ESCAPES: Record<string, string> = {"\n": "\\n", "\r": "\\r", "\t": "\\t"};

/** `a\nb` → `a\\nb`: what was there stays visible, on the same line. */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (char) => {
    const named = NAMED_ESCAPES[char];
    if (named) return named;
    const code = char.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, "0")}`;
  });
}

/** `2026-01-02T03:04:05.678Z` → `[2026-01-02 03:04:05]`, as the add-on log shows time. */
function stamp(iso: string): string {
  return `[${iso.replace("T", " ").slice(0, 19)}]`;
}

export const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

class LogCore {
  level: LogLevel;
  readonly secrets = new Set<string>();
  readonly taps = new Set<LogTap>();
  /** Above 0 while `untapped()` runs: those lines go to the sink only. */
  untapped = 0;

  constructor(
    level: LogLevel,
    readonly sink: LogSink,
  ) {
    this.level = level;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join("***");
    return out;
  }
}

export class Logger {
  readonly #core: LogCore;
  readonly namespace: string;

  constructor(options: {level?: LogLevel; sink?: LogSink; namespace?: string} = {}, core?: LogCore) {
    this.#core = core ?? new LogCore(options.level ?? "info", options.sink ?? stderrSink);
    this.namespace = options.namespace ?? "";
  }

  /** A logger for one part of the app sharing level, sink and secrets with this one. */
  child(namespace: string): Logger {
    const ns = this.namespace ? `${this.namespace}:${namespace}` : namespace;
    return new Logger({namespace: ns}, this.#core);
  }

  setLevel(level: LogLevel): void {
    this.#core.level = level;
  }

  addSecret(value: string | undefined): void {
    if (value && value.length >= MIN_SECRET_LENGTH) this.#core.secrets.add(value);
  }

  get level(): LogLevel {
    return this.#core.level;
  }

  /**
   * Also hand every line written from now on (by this logger or any of its family) to `tap`;
   * returns the way to stop. Lines below the level are never built, so a tap costs them nothing.
   */
  tap(tap: LogTap): () => void {
    this.#core.taps.add(tap);
    return () => this.#core.taps.delete(tap);
  }

  /**
   * Lines written inside `write` reach the sink but no tap: for reporting that a tap's own
   * consequences failed (a failing `log.written` listener), which would otherwise loop.
   */
  untapped(write: () => void): void {
    this.#core.untapped++;
    try {
      write();
    } finally {
      this.#core.untapped--;
    }
  }

  isEnabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.#core.level];
  }

  debug(message: LogMessage): void {
    this.#write("debug", message);
  }
  info(message: LogMessage): void {
    this.#write("info", message);
  }
  warning(message: LogMessage): void {
    this.#write("warning", message);
  }
  error(message: LogMessage): void {
    this.#write("error", message);
  }

  #write(level: LogLevel, message: LogMessage): void {
    if (!this.isEnabled(level)) return;
    const text = typeof message === "function" ? message() : message;
    const at = new Date().toISOString();
    const ns = this.namespace ? ` (${this.namespace})` : "";
    // Redact first: a secret is matched as it was given, before its neighbours are escaped.
    const written = escapeControlCharacters(this.#core.redact(text));
    this.#core.sink(`${stamp(at)} ${LABEL[level]}${ns}: ${written}`, level);
    const core = this.#core;
    if (core.taps.size === 0 || core.untapped > 0) return;
    const record: LogRecord = {at, level, namespace: this.namespace, message: written};
    for (const tap of core.taps) {
      try {
        tap(record);
      } catch (err) {
        // Not through the logger: a tap that fails on every line would fail on this one too.
        const why = escapeControlCharacters(err instanceof Error ? err.message : String(err));
        core.sink(`${stamp(at)} ERROR: A log reader failed (${why})`, "error");
      }
    }
  }
}
