import type {Logger} from "./logger.js";

export type Uncaught = "exception" | "rejection";

export interface ProcessGuardOptions {
  log: Logger;
  /**
   * Asked first about every error nobody caught: true when it belongs to something that can be
   * isolated (a third-party plugin) and has been reported. Such an error leaves the service running.
   */
  claim: (error: unknown, kind: Uncaught) => boolean;
  /** Anything else is a bug in the service itself: it has been logged with its stack; stop. */
  onFatal: (error: unknown) => void;
}

const FATAL: Record<Uncaught, string> = {
  exception: "Uncaught exception",
  rejection: "Unhandled promise rejection",
};

/**
 * The process's last-resort handlers for uncaught exceptions and unhandled rejections. Installing
 * them replaces Node's crash, so they decide: an error a third-party plugin let escape is reported
 * against the plugin and the service runs on (its state is the plugin's own); anything else is a
 * bug here, whose state cannot be trusted, so it is logged loudly with its stack and the service
 * stops (the Supervisor's watchdog restarts it) rather than run on half-broken. Only the process's
 * entry point installs one: tests and embedders keep their own handlers.
 */
export class ProcessGuard {
  readonly #opts: ProcessGuardOptions;
  #fatal = false;

  constructor(opts: ProcessGuardOptions) {
    this.#opts = opts;
  }

  start(): void {
    process.on("uncaughtException", this.#onException);
    process.on("unhandledRejection", this.#onRejection);
  }

  stop(): void {
    process.off("uncaughtException", this.#onException);
    process.off("unhandledRejection", this.#onRejection);
  }

  readonly #onException = (error: unknown) => this.#handle(error, "exception");
  readonly #onRejection = (reason: unknown) => this.#handle(reason, "rejection");

  #handle(error: unknown, kind: Uncaught): void {
    let claimed = false;
    try {
      claimed = this.#opts.claim(error, kind);
    } catch {
      // A failing claim proves nothing about the error: treat it as ours.
    }
    if (claimed) return;
    try {
      this.#opts.log.error(
        `${FATAL[kind]} outside any plugin (a bug in this service: it stops rather than run on in an unknown state): ${describe(error)}`,
      );
    } finally {
      // Stopping can itself fail the same way; the first fatal error decides.
      if (!this.#fatal) {
        this.#fatal = true;
        this.#opts.onFatal(error);
      }
    }
  }
}

function describe(error: unknown): string {
  try {
    const stack = (error as {stack?: unknown} | null)?.stack;
    return typeof stack === "string" ? stack : String(error);
  } catch {
    return "(an error that cannot be printed)";
  }
}
