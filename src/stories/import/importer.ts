import {constants} from "node:fs";
import {mkdir, open, readdir, readFile, rm} from "node:fs/promises";
import path from "node:path";
import {diskFullError, isDiskFull} from "../../core/diskFull.js";
import {writeDurably} from "../../core/durableWrite.js";
import {errorMessage} from "../../core/errors.js";
import {analyzeMp3} from "../../library/mp3.js";
import {ReadThread} from "./readThread.js";
import {BUILT_IN_READERS, readStoryFile, type SceneOutline, type StoryToWrite, storyToWrite} from "./storyRead.js";
import {type ImportedStory, importError, type StoryReader} from "./types.js";

export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
/**
 * A Twine file this small is read in place (about 10 ms): a thread costs more than it saves. An ink
 * source is always compiled in the thread: inkle's compiler takes 100 ms on a few kilobytes.
 */
const IN_PLACE_BELOW_BYTES = 64 * 1024;

/** What an import answers: the story as written, and what it could not keep. */
export interface ImportResult {
  id: string;
  file: string;
  start: string;
  scenes: SceneOutline[];
  warnings: string[];
  /** Recordings found beside the imported file and copied beside the story (the command line's import). */
  recordings?: number;
}

export interface StoryImporterOptions {
  /** Where stories live (rules_dir): imports go to `stories/<id>.yaml` under it. */
  rulesDir: string;
  /** Told after a story is written, so the running service loads it now (the rule engine's reload). */
  written?: (file: string) => Promise<unknown>;
}

/**
 * Imports story files from other tools into ordinary story files. Readers are chosen by the file's
 * extension; `.ink` and `.json` (ink's source and compiled story) are added with `setReader`.
 */
export class StoryImporter {
  readonly #opts: StoryImporterOptions;
  readonly #readers = new Map<string, StoryReader>(BUILT_IN_READERS);
  /** Large files and ink sources are read here, off the event loop. */
  readonly #thread = new ReadThread();

  constructor(opts: StoryImporterOptions) {
    this.#opts = opts;
  }

  /** Add or replace the reader for an extension (`.ink`, `.json`): one set here reads in place. */
  setReader(extension: string, reader: StoryReader): void {
    this.#readers.set(extension.toLowerCase(), reader);
  }

  /**
   * Read, check and write one story; `replace` overwrites an earlier import of the same id. With
   * `from` (the folder the file came from), recordings in its `audio/` named after passages are
   * copied beside the story, where narration takes them instead of speech.
   */
  async import(
    filename: string,
    bytes: Buffer,
    opts: {replace?: boolean; from?: string; into?: string} = {},
  ): Promise<ImportResult> {
    const imported = await this.#toWrite(filename, bytes);
    // `into`: the story file (under rules_dir) of a story of this id written elsewhere, replaced.
    const rel = opts.into ?? path.join("stories", `${imported.id}.yaml`);
    const file = path.join(this.#opts.rulesDir, rel);
    const written = [file, ...(imported.beside ?? []).map((b) => path.join(path.dirname(file), b.name))];
    // What was there: whether the story was imported before, and what a taken-back import restores.
    const before = await Promise.all(written.map(contentOf));
    if (!opts.replace && before[0] !== undefined)
      throw importError(
        `A story '${imported.id}' was already imported (${rel}); import with replace to overwrite it`,
        "story_exists",
        409,
      );
    const text = imported.yaml;
    // Taken back when it cannot be written or does not load: what was there before is put back.
    const takeBack = async () => {
      for (const [i, f] of written.entries())
        await (before[i] === undefined ? rm(f, {force: true}) : writeDurably(f, before[i]));
      await this.#opts.written?.(file);
    };
    let recordings = 0;
    try {
      await mkdir(path.dirname(file), {recursive: true});
      for (const extra of imported.beside ?? [])
        await writeDurably(path.join(path.dirname(file), extra.name), extra.content);
      if (opts.from) {
        const copiedRecordings = await copyRecordings(opts.from, imported, path.dirname(file));
        recordings = copiedRecordings.copied;
        imported.warnings.push(...copiedRecordings.skipped);
      }
      await writeDurably(file, text);
    } catch (err) {
      await takeBack().catch(() => undefined);
      if (isDiskFull(err)) throw diskFullError(path.dirname(file), err);
      throw err;
    }
    const reloaded = await this.#opts.written?.(file);
    const other = clashingFile(reloaded, imported.id, rel);
    if (other !== undefined) {
      // Another story file has this id: the import is taken back, so that story stays loaded.
      await takeBack();
      // With replace, it goes over that story (one written in YAML, exported to Twine and back).
      if (opts.replace && opts.into === undefined && this.#insideRules(other))
        return this.import(filename, bytes, {...opts, into: other});
      throw importError(
        `A story '${imported.id}' is already in ${other}: import with replace to write this one over it (that file is rewritten), or give the imported story another title (its id comes from the title, or from StoryData's story-id), or change that story's id`,
        "story_exists",
        409,
      );
    }
    // The answer never lists a story the service did not load.
    const problem = loadProblem(reloaded, rel);
    if (problem !== undefined) {
      await takeBack();
      throw importError(
        `'${filename}' was written as ${rel}, which does not load (${problem}); the import was taken back`,
        "story_not_loaded",
      );
    }
    const {id, start, scenes, warnings} = imported;
    return {id, file: rel, start, scenes, warnings, ...(opts.from ? {recordings} : {})};
  }

  /** A story file named by the loader: a YAML file under rules_dir, never anywhere else. */
  #insideRules(rel: string): boolean {
    const root = path.resolve(this.#opts.rulesDir);
    const file = path.resolve(root, rel);
    return file.startsWith(`${root}${path.sep}`) && /\.ya?ml$/i.test(file);
  }

  /** Read and check a story file without writing it. */
  async read(filename: string, bytes: Buffer): Promise<ImportedStory> {
    const {reader, inPlace} = this.#readerOf(filename, bytes);
    return inPlace ? readStoryFile(filename, bytes, reader) : this.#thread.read(filename, bytes);
  }

  /** End the read thread (the service stops): an import under way fails, saying so. */
  stop(): Promise<void> {
    return this.#thread.stop();
  }

  /** The file read, checked and made into the story file to write. */
  async #toWrite(filename: string, bytes: Buffer): Promise<StoryToWrite> {
    const {reader, inPlace} = this.#readerOf(filename, bytes);
    return inPlace ? storyToWrite(filename, bytes, reader) : this.#thread.toWrite(filename, bytes);
  }

  /** The file's reader, once its name and size are checked, and whether it reads here or in the thread. */
  #readerOf(filename: string, bytes: Buffer): {reader: StoryReader; inPlace: boolean} {
    // The name is written into the story file's first line: a line break there would be YAML.
    if ([...filename].some((c) => c.charCodeAt(0) < 0x20 || c === "\u007f" || c === "\u2028" || c === "\u2029"))
      throw importError(
        `The file name '${JSON.stringify(filename).slice(1, -1)}' has a control character (a line break?): name the file without one`,
        "bad_filename",
      );
    if (bytes.length > IMPORT_MAX_BYTES)
      throw importError(`'${filename}' is larger than 5 MB; a story file is at most 5 MB`, "body_too_large", 413);
    const extension = path.extname(filename).toLowerCase();
    const reader = this.#readers.get(extension);
    if (!reader)
      throw importError(
        `Cannot import '${filename}': the file name must end in ${[...this.#readers.keys()].join(", ")}`,
        "unsupported_story_file",
      );
    // A reader set by `setReader` is this process's own function: it reads here.
    const inPlace =
      reader !== BUILT_IN_READERS.get(extension) || (extension !== ".ink" && bytes.length < IN_PLACE_BELOW_BYTES);
    return {reader, inPlace};
  }
}

/** `audio/<passage name>.mp3` beside the imported file, copied to `<story id>/audio/` beside the story. */
async function copyRecordings(
  from: string,
  imported: StoryToWrite,
  storiesDir: string,
): Promise<{copied: number; skipped: string[]}> {
  const names = new Set(imported.names);
  const found = await readdir(path.join(from, "audio"), {withFileTypes: true}).catch(() => []);
  const named = found.filter((f) => f.name.toLowerCase().endsWith(".mp3") && names.has(f.name.slice(0, -4)));
  // Only plain files: a link (to /etc/shadow, say) or a device (/dev/zero) is never followed or read.
  const wanted = named.filter((f) => f.isFile());
  const skipped = named
    .filter((f) => !f.isFile())
    .map(
      (f) =>
        `audio/${f.name} is ${f.isSymbolicLink() ? "a link" : "not a plain file"}: not copied (copy the recording itself there)`,
    );
  if (wanted.length === 0) return {copied: 0, skipped};
  const to = path.join(storiesDir, imported.id, "audio");
  await mkdir(to, {recursive: true});
  let copied = 0;
  for (const entry of wanted) {
    // Opened without following a link swapped in since it was listed; written with this service's own mode.
    const handle = await open(path.join(from, "audio", entry.name), constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      if (!(await handle.stat()).isFile()) {
        skipped.push(`audio/${entry.name} is not a plain file: not copied`);
        continue;
      }
      // Played as it is, as a library MP3: checked for MP3 frames as the player will read it.
      const why = await analyzeMp3(handle).then(
        () => undefined,
        (err: unknown) => errorMessage(err).split(":")[0],
      );
      if (why !== undefined) {
        skipped.push(`audio/${entry.name} is not MP3 audio (${why}): not copied (save the recording as MP3)`);
        continue;
      }
      await writeDurably(path.join(to, entry.name), await handle.readFile());
      copied++;
    } finally {
      await handle.close();
    }
  }
  return {copied, skipped};
}

/**
 * The other story file with the imported story's id, from the reload's errors: the loader reports
 * a duplicate id on whichever file comes later, the imported one or the other.
 */
function clashingFile(reloaded: unknown, id: string, rel: string): string | undefined {
  const errors = (reloaded as {errors?: Array<{file: string; message: string}>} | undefined)?.errors ?? [];
  const duplicate = `duplicate story id '${id}' (also in `;
  for (const e of errors) {
    if (!e.message.startsWith(duplicate)) continue;
    return e.file === rel ? e.message.slice(duplicate.length, -1) : e.file;
  }
  return undefined;
}

/** The first load error of the imported file in the reload's answer, as its text. */
function loadProblem(reloaded: unknown, rel: string): string | undefined {
  const errors = (reloaded as {errors?: Array<{file: string; text: string}>} | undefined)?.errors ?? [];
  return errors.find((e) => e.file === rel)?.text;
}

/** A file's content, or undefined when there is none (what an import that is taken back restores). */
async function contentOf(file: string): Promise<string | undefined> {
  return readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
}
