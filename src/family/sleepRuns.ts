import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import type {SleepRunView} from "./types.js";

const NAMESPACE = "family_sleep";
/** A week and a day: what the week's figures and tonight's count read; older runs go at start. */
const KEPT_MS = 8 * 86_400_000;

/** One sleep sound, from its start to its end, as saved. */
export interface SleepRun {
  id: string;
  child: string;
  playerId: string;
  player: string;
  /** The plan's reference ("stream:rain") and its title ("Rain"). */
  sound: string;
  title: string;
  reason: string;
  by: string;
  /** The evening its night belongs to (the plan's `evening`): what the night's limit counts by. */
  evening: string;
  /** Let through because bedtime or quiet hours held the player (not counted in the day's listening). */
  night: boolean;
  startedAt: number;
  /** Its timer's end, or the night's wake: it stops then. Undefined: nothing but a parent ends it. */
  until?: number;
  /** The wake of the quiet it was let through in (a night's run). */
  wake?: number;
  /** The light ring's colour it put on (dark again at its end). */
  light?: string;
  /** The card it plays on, once the player says so: anything else played ends it. */
  cardId?: string;
  endedAt?: number;
  ended?: string;
}

/**
 * The sleep sounds, saved in the state database before a start is answered and before an end is
 * journaled: what plays now survives a restart (and is ended then), and tonight's count is the
 * night's, whatever the service did in between.
 */
export class SleepRuns {
  readonly #runs = new Map<string, SleepRun>();
  #space?: StoreNamespace<SleepRun>;

  constructor(private readonly store: StateStore) {}

  async load(now: number): Promise<void> {
    this.#space = this.store.namespace<SleepRun>(NAMESPACE);
    this.#runs.clear();
    for (const [id, run] of await this.store.entries<SleepRun>(NAMESPACE)) {
      // A row that is no run (written by hand, cut short) is left alone, not a failed start.
      if (typeof run !== "object" || run === null || typeof run.startedAt !== "number") continue;
      if (run.endedAt !== undefined && now - run.endedAt > KEPT_MS) await this.#ns().delete(id);
      else this.#runs.set(id, run);
    }
  }

  async save(run: SleepRun): Promise<void> {
    await this.#ns().set(run.id, run);
    this.#runs.set(run.id, run);
  }

  /** The runs not ended yet (one per player at most). */
  playing(): SleepRun[] {
    return [...this.#runs.values()].filter((r) => r.endedAt === undefined);
  }

  playingOn(playerId: string): SleepRun | undefined {
    return this.playing().find((r) => r.playerId === playerId);
  }

  playingFor(child: string): SleepRun | undefined {
    return this.playing().find((r) => r.child === child);
  }

  /** The child's runs of one evening's night, oldest first. */
  ofNight(child: string, evening: string): SleepRun[] {
    return [...this.#runs.values()]
      .filter((r) => r.child === child && r.evening === evening && r.night)
      .sort((a, b) => a.startedAt - b.startedAt);
  }

  /** Every run kept (a week and a day), oldest first. */
  all(): SleepRun[] {
    return [...this.#runs.values()].sort((a, b) => a.startedAt - b.startedAt);
  }

  /** Milliseconds of night sleep sounds on a player between `from` and `to`: what the day's listening leaves out. */
  nightMs(playerId: string, from: number, to: number): number {
    let ms = 0;
    for (const r of this.#runs.values()) {
      if (!r.night || r.playerId !== playerId) continue;
      const end = Math.min(r.endedAt ?? to, to);
      ms += Math.max(0, end - Math.max(r.startedAt, from));
    }
    return ms;
  }

  #ns(): StoreNamespace<SleepRun> {
    if (!this.#space) throw new Error("sleep sounds are not running");
    return this.#space;
  }
}

/** A run as the API says it. */
export function runView(run: SleepRun): SleepRunView {
  const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());
  return {
    sound: run.sound,
    title: run.title,
    player: run.player,
    reason: run.reason,
    by: run.by,
    started_at: new Date(run.startedAt).toISOString(),
    until: iso(run.until),
    night: run.night,
    ended_at: iso(run.endedAt),
    ended: run.ended ?? null,
  };
}
