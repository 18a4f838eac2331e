import {createHash, randomUUID} from "node:crypto";
import {createReadStream} from "node:fs";
import {mkdir, open, readdir, readFile, rename, rm, stat} from "node:fs/promises";
import path from "node:path";
import {diskFullError, isDiskFull} from "../core/diskFull.js";
import {flush} from "../core/durableWrite.js";
import {AppError, errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {type ArchivedFile, type CardRecord, isCardRecord} from "./cardRecord.js";

/**
 * The archive on disk, inside the data folder so Home Assistant's backups carry it:
 *   cards/<cardId>.json     one record per card (cardRecord.ts)
 *   files/<sha>.<ext>       audio, icons and covers, each stored once by the sha256 of its bytes
 *   .incoming/              downloads under way; emptied at start, so a kill leaves nothing behind
 * A file is renamed into place only once its bytes are on disk and checked, and a card is listed
 * only once its record is: nothing half-written is ever listed.
 */
export class ArchiveFolder {
  readonly dir: string;
  readonly #log: Logger;

  constructor(dir: string, log: Logger) {
    this.dir = dir;
    this.#log = log;
  }

  get #cards(): string {
    return path.join(this.dir, "cards");
  }

  // One flat folder: a family's few thousand files are nothing to a file system, and a card's
  // files then need one folder flushed, not one per file.
  get #files(): string {
    return path.join(this.dir, "files");
  }

  get #incoming(): string {
    return path.join(this.dir, ".incoming");
  }

  /** Make the folders; remove what a stopped or killed run left half-downloaded. */
  async prepare(): Promise<void> {
    await this.#guard(async () => {
      await rm(this.#incoming, {recursive: true, force: true});
      for (const dir of [this.#cards, path.join(this.dir, "files"), this.#incoming])
        await mkdir(dir, {recursive: true});
    });
  }

  /** Every readable card record. One that cannot be read is set aside with a warning, not lost. */
  async readCards(): Promise<CardRecord[]> {
    const names = (await readdir(this.#cards)).filter((n) => n.endsWith(".json"));
    const records: CardRecord[] = [];
    for (const name of names) {
      const file = path.join(this.#cards, name);
      // A disk that cannot be read is not a bad record: starting would hide it, so start fails.
      const text = await readFile(file, "utf8").catch((err: unknown) => {
        throw new AppError(
          "archive_unreadable",
          `The archive in '${this.dir}' could not be read (${name}: ${errorMessage(err)})`,
          {
            status: 500,
            expose: true,
            cause: err,
          },
        );
      });
      try {
        const parsed: unknown = JSON.parse(text);
        if (!isCardRecord(parsed) || `${parsed.cardId}.json` !== name) throw new Error("not an archived card");
        records.push(parsed);
      } catch (err) {
        await rename(file, `${file}.unreadable`).catch(() => undefined);
        this.#log.warning(
          `Archived card file '${name}' could not be read (${errorMessage(err)}); it was renamed to '${name}.unreadable' and the card will be archived again`,
        );
      }
    }
    return records;
  }

  /** Records set aside as unreadable: their files are kept until someone looks (never removed as unreferenced). */
  async setAside(): Promise<number> {
    return (await readdir(this.#cards).catch(() => [] as string[])).filter((n) => n.endsWith(".unreadable")).length;
  }

  /** Where a file's bytes are kept. */
  pathOf(file: Pick<ArchivedFile, "sha" | "ext">): string {
    return path.join(this.#files, `${file.sha}.${file.ext}`);
  }

  async has(file: ArchivedFile): Promise<boolean> {
    try {
      return (await stat(this.pathOf(file))).size === file.bytes;
    } catch {
      return false;
    }
  }

  /**
   * A file already in place under this sha, whatever its extension (kept by a run that stopped
   * before its card was committed). A file only gets its name once its bytes hash to it.
   */
  async findBySha(sha: string, onDisk: ReadonlyMap<string, string>): Promise<{ext: string; bytes: number} | undefined> {
    const name = onDisk.get(sha);
    if (!name) return undefined;
    const info = await stat(path.join(this.#files, name)).catch(() => undefined);
    return info?.isFile() ? {ext: name.slice(sha.length + 1), bytes: info.size} : undefined;
  }

  /** The files on disk by sha (one listing for a whole run), named `<sha>.<ext>`. */
  async filesOnDisk(): Promise<Map<string, string>> {
    const names = await readdir(this.#files).catch(() => [] as string[]);
    return new Map(names.flatMap((name) => (/^[0-9a-f]{64}\./.test(name) ? [[name.slice(0, 64), name] as const] : [])));
  }

  /** Whether the file's bytes still hash to its name; a file that does not is removed. */
  async holdsBytesOf(file: ArchivedFile): Promise<boolean> {
    const hash = createHash("sha256");
    try {
      for await (const chunk of createReadStream(this.pathOf(file))) hash.update(chunk as Buffer);
    } catch {
      return false;
    }
    if (hash.digest("hex") === file.sha) return true;
    await rm(this.pathOf(file), {force: true});
    return false;
  }

  /** A fresh name in `.incoming` for a download under way. */
  incomingFile(): string {
    return path.join(this.#incoming, `${randomUUID()}.part`);
  }

  /**
   * A downloaded, checked file into its place. Not yet flushed: `flush` does that for all of a
   * card's new files at once, before its record may refer to them.
   */
  async keep(incoming: string, file: ArchivedFile): Promise<void> {
    await this.#guard(async () => {
      await rename(incoming, this.pathOf(file));
    }, incoming);
  }

  /**
   * Make files and their folder entries durable, side by side: the file system commits many
   * flushes together, where one after another each waits for its own (a third of a first run).
   */
  async flush(files: readonly ArchivedFile[]): Promise<void> {
    if (files.length === 0) return;
    const paths = new Set([this.#files, ...files.map((file) => this.pathOf(file))]);
    await this.#guard(async () => {
      await Promise.all([...paths].map((p) => flush(p)));
    });
  }

  /** A card's record, written whole and flushed before it replaces the one before. */
  async saveCard(record: CardRecord): Promise<void> {
    const temp = path.join(this.#incoming, `${record.cardId}.${randomUUID()}.json`);
    await this.#guard(async () => {
      const handle = await open(temp, "w", 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(record, null, 1)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path.join(this.#cards, `${record.cardId}.json`));
      await flush(this.#cards);
    }, temp);
  }

  /** A card's record gone for good (its files stay until nothing refers to them). */
  async removeCard(cardId: string): Promise<void> {
    await this.#guard(async () => {
      await rm(path.join(this.#cards, `${cardId}.json`), {force: true});
      await flush(this.#cards);
    });
  }

  /** Remove files no card refers to (left by a card that changed, or by a killed run). */
  async removeUnreferenced(referenced: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.#files).catch(() => [] as string[])) {
      if (referenced.has(name)) continue;
      await rm(path.join(this.#files, name), {force: true});
      removed++;
    }
    return removed;
  }

  /** Run a write; a full disk becomes the 507 that names this folder, and `leftover` is removed. */
  async #guard(write: () => Promise<void>, leftover?: string): Promise<void> {
    try {
      await write();
    } catch (err) {
      if (leftover) await rm(leftover, {force: true}).catch(() => undefined);
      if (isDiskFull(err)) throw diskFullError(this.dir, err);
      if (err instanceof AppError) throw err;
      throw new AppError(
        "archive_write_failed",
        `The archive in '${this.dir}' could not be written: ${errorMessage(err)}`,
        {
          status: 500,
          expose: true,
          cause: err,
        },
      );
    }
  }
}
