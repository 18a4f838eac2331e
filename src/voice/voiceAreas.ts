import {readFile} from "node:fs/promises";
import {writeDurably} from "../core/durableWrite.js";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {MAX_NAMES} from "./familySentences.js";
import {spokenKey} from "./spokenText.js";

/**
 * The Home Assistant areas that hold a Yoto, as the voice blueprint last sent them (each request
 * carries every area with its devices' names): the family's sentences name them ("play … in Mia's
 * room"). Kept in a file of their own, so the sentences stay the same after a restart.
 */
export class VoiceAreas {
  #areas: string[] = [];
  #writing: Promise<void> = Promise.resolve();
  /** The last write failed (a full disk): the next request writes again, changed or not. */
  #unwritten = false;

  constructor(
    private readonly file: string | undefined,
    private readonly log: Logger,
  ) {}

  async load(): Promise<void> {
    if (!this.file) return;
    try {
      const read: unknown = JSON.parse(await readFile(this.file, "utf8"));
      if (!Array.isArray(read)) {
        this.log.warning(
          `The voice areas in ${this.file} are not a list of names; they come again with the next voice request`,
        );
        return;
      }
      this.#areas = read.filter((a): a is string => typeof a === "string").slice(0, MAX_NAMES.areas);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT")
        this.log.warning(
          `The voice areas in ${this.file} could not be read (${errorMessage(err)}); they come again with the next voice request`,
        );
    }
  }

  list(): string[] {
    return [...this.#areas];
  }

  /** A request's areas: those with a Yoto among their devices are kept, written only when they change. */
  heard(rooms: ReadonlyArray<{area: string; devices: readonly string[]}>, players: readonly string[]): void {
    if (rooms.length === 0) return;
    const yotos = new Set(players.map((p) => spokenKey(p)));
    const areas = rooms
      .filter((r) => r.devices.some((d) => yotos.has(spokenKey(d))))
      .map((r) => r.area)
      .slice(0, MAX_NAMES.areas);
    const same = areas.length === this.#areas.length && areas.every((a, i) => a === this.#areas[i]);
    if (same && !this.#unwritten) return;
    this.#areas = areas;
    const file = this.file;
    if (!file) return;
    const text = JSON.stringify(areas);
    // One write at a time, the last one winning; a failure is said, and the areas come again with the next request.
    this.#writing = this.#writing
      .then(() => writeDurably(file, text))
      .then(
        () => {
          this.#unwritten = false;
        },
        (err) => {
          this.#unwritten = true;
          this.log.warning(
            `The voice areas could not be kept in ${file} (${errorMessage(err)}); the next voice request tries again`,
          );
        },
      );
  }

  /** Done when the last change is on disk (a test, or the service stopping). */
  settled(): Promise<void> {
    return this.#writing;
  }
}
