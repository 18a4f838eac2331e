import {createHash} from "node:crypto";
import {deserialize, serialize} from "node:v8";
import type {YamlProblem} from "../core/boundedYaml.js";
import {FilePlaces} from "./filePlaces.js";
import {ParseThread} from "./parseThread.js";
import {parseRuleText, type RuleFile, readRuleText} from "./ruleFile.js";

/**
 * A file this long is parsed in the thread: below it, parsing here (about 20 ms on a slow machine)
 * costs less than the copy to the thread and back.
 */
const IN_THREAD_FROM_CHARS = 64 * 1024;

/** A file's parse as kept between loads: its data serialized (each load takes a fresh copy), or its problem. */
type Kept = {data: Uint8Array; entryLines: number[]; problem?: undefined} | {problem: YamlProblem};

/**
 * Reads the rules folder's files for each load, parsing only those whose text changed since the last
 * one: a story import rewrote one file, and every reload parsed every file again on the event loop
 * (a 2,000-passage story held it for a third of a second, at the import and again at the watcher's
 * reload). A file is known by its path and its text's hash, not its time: a file rewritten within the
 * same millisecond is still read again. Large files are parsed in a thread.
 */
export class RuleFileReader {
  readonly #kept = new Map<string, {hash: string; parsed: Kept}>();
  readonly #thread = new ParseThread();
  #parses = 0;

  /** How many texts were parsed (not taken from an earlier load): what the reloads cost. */
  get parses(): number {
    return this.#parses;
  }

  /** The file as `readRuleFile` reads it, its data a copy of its own (a load may change it). */
  async read(file: string): Promise<RuleFile> {
    const read = await readRuleText(file);
    if (read.problem) {
      this.#kept.delete(file);
      return read;
    }
    const hash = textHash(read.text);
    let kept = this.#kept.get(file);
    if (kept?.hash !== hash) {
      kept = {hash, parsed: await this.#parse(read.text)};
      this.#kept.set(file, kept);
    }
    const {parsed} = kept;
    if (parsed.problem) return {problem: parsed.problem};
    return {content: deserialize(parsed.data), entryLines: [...parsed.entryLines], places: new FilePlaces(read.text)};
  }

  /**
   * Whether every one of `files` is a rules file whose text is what the last load read (a path
   * this reader has not read, or anything else — a folder, a plugin, an ink story's JSON — is a change).
   */
  async unchanged(files: readonly string[]): Promise<boolean> {
    for (const file of files) {
      const kept = this.#kept.get(file);
      if (!kept || !/\.ya?ml$/i.test(file)) return false;
      const read = await readRuleText(file);
      if (read.problem || textHash(read.text) !== kept.hash) return false;
    }
    return files.length > 0;
  }

  /** Forget the files a load no longer found. */
  keepOnly(files: readonly string[]): void {
    const found = new Set(files);
    for (const file of this.#kept.keys()) if (!found.has(file)) this.#kept.delete(file);
  }

  stop(): Promise<void> {
    return this.#thread.stop();
  }

  async #parse(text: string): Promise<Kept> {
    this.#parses++;
    if (text.length >= IN_THREAD_FROM_CHARS) {
      const answer = await this.#thread.parse(text).catch(() => undefined);
      if (answer && "data" in answer) return {data: answer.data, entryLines: answer.entryLines};
      if (answer && "problem" in answer) return {problem: answer.problem};
      // The thread could not answer (it failed, or the service is stopping): parsed here, as before.
    }
    const parsed = parseRuleText(text);
    return parsed.problem ? parsed : {data: serialize(parsed.content), entryLines: parsed.entryLines};
  }
}

function textHash(text: string): string {
  return createHash("sha256").update(text).digest("base64");
}
