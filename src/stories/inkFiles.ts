import {readFile, stat} from "node:fs/promises";
import {errorMessage} from "../core/errors.js";

/** What an ink story file may be: the import's own limit. */
const INK_MAX_BYTES = 5 * 1024 * 1024;

/** An ink story's compiled JSON as a load finds it: its path, or what is wrong with it. */
export type InkFileCheck = {path: string} | {error: string};

/** What a look at a file found, said with the name the story file gives it when a load asks. */
type Found = {ok: true} | {tooLarge: true} | {unreadable: string} | {notInk: true};

interface Known {
  mtimeMs: number;
  size: number;
  found: Found;
}

/**
 * The compiled ink JSON that story files name, each read and checked once per change: every rules
 * reload (any rule file saved, each import) read and parsed every one again, synchronously — a
 * few megabytes each. A file is read again when its modification time or size changes.
 */
export class InkFiles {
  readonly #known = new Map<string, Known>();

  /** Look at the named files (async), reading only the new and the changed; forget the rest. */
  async refresh(files: readonly string[]): Promise<void> {
    const wanted = new Set(files);
    for (const file of this.#known.keys()) if (!wanted.has(file)) this.#known.delete(file);
    await Promise.all([...wanted].map((file) => this.#look(file)));
  }

  /** The file as the last `refresh` found it; `ref` is its name in the story file (what an error says). */
  check(file: string, ref: string): InkFileCheck {
    const found = this.#known.get(file)?.found ?? {unreadable: "the service has not looked at it yet"};
    if ("ok" in found) return {path: file};
    if ("tooLarge" in found) return {error: `'${ref}' is larger than 5 MB`};
    if ("unreadable" in found)
      return {error: `cannot read '${ref}' beside the story file (${found.unreadable}): import the ink story again`};
    return {error: `'${ref}' is not a compiled ink story (inkle's JSON with inkVersion): import the .ink file again`};
  }

  async #look(file: string): Promise<void> {
    let size: number;
    let mtimeMs: number;
    try {
      ({size, mtimeMs} = await stat(file));
    } catch (err) {
      // Not kept as known: the next load looks again.
      this.#known.set(file, {mtimeMs: Number.NaN, size: -1, found: {unreadable: errorMessage(err)}});
      return;
    }
    const known = this.#known.get(file);
    if (known && known.mtimeMs === mtimeMs && known.size === size) return;
    this.#known.set(file, {mtimeMs, size, found: await look(file, size)});
  }
}

async function look(file: string, size: number): Promise<Found> {
  if (size > INK_MAX_BYTES) return {tooLarge: true};
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    return {unreadable: errorMessage(err)};
  }
  try {
    if (typeof (JSON.parse(text) as {inkVersion?: unknown}).inkVersion === "number") return {ok: true};
  } catch {}
  return {notInk: true};
}
