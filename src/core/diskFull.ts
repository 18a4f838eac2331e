import {statfs} from "node:fs/promises";
import {AppError} from "./errors.js";

/** Out of space, or out of the user's quota: to the user both mean "this disk is full". */
const DISK_FULL_CODES = new Set(["ENOSPC", "EDQUOT"]);

/** True when a file system call failed because the disk (or the quota on it) is full. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && DISK_FULL_CODES.has(code);
}

/**
 * The one answer for a full disk, wherever a write hits it: 507 with the folder named, since
 * "Insufficient Storage" alone does not say which disk or what to do. `expose` because the message
 * is the fix.
 */
export function diskFullError(dir: string, cause?: unknown): AppError {
  return new AppError("disk_full", `The disk holding '${dir}' is full: free some space and retry`, {
    status: 507,
    expose: true,
    cause,
  });
}

/** Below this, SQLite's I/O errors are taken as the disk being full (it reports no ENOSPC). */
const NEARLY_FULL_BYTES = 64 * 1024;

/** The file system holding `dir` has (almost) no room left; false when that cannot be told. */
export async function nearlyFull(dir: string): Promise<boolean> {
  try {
    const fs = await statfs(dir);
    return fs.bavail * fs.bsize < NEARLY_FULL_BYTES;
  } catch {
    // Cannot tell: the caller reports SQLite's own reason rather than guess "full".
    return false;
  }
}
