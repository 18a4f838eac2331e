import {diskFullError, isDiskFull, nearlyFull} from "../core/diskFull.js";
import {AppError, errorMessage} from "../core/errors.js";

/** Another connection (a backup tool, an `sqlite3` shell, a second copy of the service) holds the lock. */
const SQLITE_BUSY_CODES = new Set(["SQLITE_BUSY", "SQLITE_LOCKED"]);

export interface StoreErrorContext {
  /** The folder holding the database: what the user has to free space on. */
  dataDir: string;
  file: string;
  busyTimeoutMs: number;
  /** What was being done, for the message. */
  doing: "save" | "read" | "open";
}

/**
 * Turn whatever SQLite (or the file system under it) threw into an error a user can act on:
 * 507 naming the full disk, 503 naming the lock and how long it was waited for, else 500 with
 * SQLite's own reason. Every one is exposed, because each message says what to do.
 */
export async function storeError(err: unknown, ctx: StoreErrorContext): Promise<AppError> {
  if (err instanceof AppError) return err;
  const code = (err as {code?: unknown} | undefined)?.code;
  if (isDiskFull(err) || code === "SQLITE_FULL") {
    return diskFullError(ctx.dataDir, err);
  }
  if (typeof code === "string" && SQLITE_BUSY_CODES.has(code)) {
    const seconds = Math.round(ctx.busyTimeoutMs / 100) / 10;
    return new AppError(
      "store_busy",
      `The state database '${ctx.file}' is locked by another program (${code}) and stayed locked for ${seconds} s: close whatever has it open (a backup, an sqlite3 shell, a second copy of this service) and retry`,
      {status: 503, expose: true, cause: err},
    );
  }
  if (typeof code === "string" && code.startsWith("SQLITE_IOERR") && (await nearlyFull(ctx.dataDir))) {
    return diskFullError(ctx.dataDir, err);
  }
  return new AppError(
    "store_failed",
    `Could not ${ctx.doing} the state database '${ctx.file}' (${errorMessage(err)})`,
    {status: 500, expose: true, cause: err},
  );
}
