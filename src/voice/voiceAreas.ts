import {readFile} from "node:fs/promises";
import {writeDurably} from "../core/durableWrite.js";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {MAX_NAMES} from "./familySentences.js";
import {spokenKey} from "./spokenText.js";

/** Past these a house's areas are not kept: a Yoto's name is then said bare only if it says it is one ("Bedroom Mini"). */
const MAX_HOUSE_AREAS = 500;

/** An area that holds a Yoto, and the Yotos in it (by their names, as Home Assistant's devices). */
export interface KeptArea {
  area: string;
  yotos: string[];
  /**
   * Nothing but a Yoto plays there (Home Assistant sent the area's media players, and each is a
   * Yoto): "play … in <area>" can only mean its Yoto. Unknown (an older blueprint) counts as not.
   */
  alone?: true;
}

/**
 * The Home Assistant areas that hold a Yoto, as the voice blueprint last sent them (each request
 * carries every area with its devices' names): the family's sentences name them ("play … in Mia's
 * room"), and a request that brings no areas (an assistant's) finds a Yoto by its area's name
 * with them. Kept in a file of their own, so both stay the same after a restart.
 */
export class VoiceAreas {
  #areas: KeptArea[] = [];
  /** Every area's name the blueprint sent, a Yoto's or not; undefined until a request brings them. */
  #house: string[] | undefined;
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
      const parsed: unknown = JSON.parse(await readFile(this.file, "utf8"));
      // `{areas, house}`; an earlier version's file is the list of areas alone.
      const {areas: read, house} = Array.isArray(parsed)
        ? {areas: parsed, house: undefined}
        : ((parsed ?? {}) as {areas?: unknown; house?: unknown});
      const names = Array.isArray(house) ? house.filter((h): h is string => typeof h === "string") : [];
      // A house past the most kept, or kept without its areas, is not known whole.
      if (Array.isArray(house) && Array.isArray(read) && names.length <= MAX_HOUSE_AREAS) this.#house = names;
      if (!Array.isArray(read)) {
        this.log.warning(
          `The voice areas in ${this.file} are not a list of names; they come again with the next voice request`,
        );
        return;
      }
      // A file of an earlier version holds the names only: their Yotos come with the next voice request.
      this.#areas = read.flatMap(keptArea).slice(0, MAX_NAMES.areas);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT")
        this.log.warning(
          `The voice areas in ${this.file} could not be read (${errorMessage(err)}); they come again with the next voice request`,
        );
    }
  }

  list(): string[] {
    return this.#areas.map((a) => a.area);
  }

  /** Every area of the house by its name, a Yoto's or not; undefined before the first request sent them. */
  house(): readonly string[] | undefined {
    return this.#house;
  }

  /** The areas where only a Yoto plays: a title said with the room alone is theirs. */
  alone(): string[] {
    return this.#areas.filter((a) => a.alone).map((a) => a.area);
  }

  /** The areas as a request's rooms: each with the Yotos in it. */
  rooms(): Array<{area: string; devices: string[]}> {
    return this.#areas.map((a) => ({area: a.area, devices: [...a.yotos]}));
  }

  /** A request's areas: those with a Yoto among their devices are kept, written only when they change. */
  heard(
    rooms: ReadonlyArray<{area: string; devices: readonly string[]; players?: readonly string[]}>,
    players: readonly string[],
  ): void {
    if (rooms.length === 0) return;
    const yotos = new Set(players.map((p) => spokenKey(p)));
    const areas: KeptArea[] = rooms
      .map((r) => ({
        area: r.area,
        yotos: r.devices.filter((d) => yotos.has(spokenKey(d))),
        ...(r.players?.every((p) => yotos.has(spokenKey(p))) ? {alone: true as const} : {}),
      }))
      .filter((r) => r.yotos.length > 0)
      .slice(0, MAX_NAMES.areas);
    // A house past the most kept is not known whole: no name is then known to be nobody else's.
    const house = rooms.length > MAX_HOUSE_AREAS ? undefined : rooms.map((r) => r.area);
    const same = JSON.stringify([areas, house]) === JSON.stringify([this.#areas, this.#house]);
    if (same && !this.#unwritten) return;
    this.#areas = areas;
    this.#house = house;
    const file = this.file;
    if (!file) return;
    const text = JSON.stringify({areas, house: house ?? null});
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

/** One area as the file keeps it: `{area, yotos}`, or an earlier version's name alone. */
function keptArea(entry: unknown): KeptArea[] {
  if (typeof entry === "string") return [{area: entry, yotos: []}];
  if (typeof entry !== "object" || entry === null) return [];
  const {area, yotos, alone} = entry as Record<string, unknown>;
  if (typeof area !== "string") return [];
  const names = Array.isArray(yotos) ? yotos.filter((y): y is string => typeof y === "string") : [];
  return [{area, yotos: names, ...(alone === true ? {alone} : {})}];
}
