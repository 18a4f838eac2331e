import {chmod, mkdir, open} from "node:fs/promises";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";

/** Only the service's own user may list the data folder… */
export const PRIVATE_DIR_MODE = 0o700;
/** …or read the state database, which holds the Yoto login (refresh token included). */
export const PRIVATE_FILE_MODE = 0o600;
/** SQLite's companions of a WAL database: they hold recent writes, tokens included. */
export const SQLITE_SIDE_FILES = ["-wal", "-shm", "-journal"];

/**
 * Make the data folder and the database private before SQLite opens it. SQLite creates the
 * `-wal`/`-shm` files with the mode of the database file, so creating that one as 0600 keeps all
 * three private; installs made before this was done get their modes tightened here at start.
 */
export async function makeStatePrivate(dataDir: string, dbFile: string, log: Logger): Promise<void> {
  await mkdir(dataDir, {recursive: true, mode: PRIVATE_DIR_MODE});
  await makePrivate(dataDir, PRIVATE_DIR_MODE, log);
  // "a" creates the file if missing (mode applies then) and never truncates an existing one.
  const handle = await open(dbFile, "a", PRIVATE_FILE_MODE);
  await handle.close();
  for (const file of [dbFile, ...SQLITE_SIDE_FILES.map((suffix) => `${dbFile}${suffix}`)]) {
    await makePrivate(file, PRIVATE_FILE_MODE, log);
  }
}

/** chmod, where the file exists; a folder the service does not own (EPERM) is warned about, not fatal. */
export async function makePrivate(file: string, mode: number, log: Logger): Promise<void> {
  try {
    await chmod(file, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    log.warning(
      `Could not make '${file}' private (mode ${mode.toString(8)}): ${errorMessage(err)}; other users of this machine may read it`,
    );
  }
}
