import {assignOwn} from "../core/ownKeys.js";
import type {StorySession} from "../shared/api/stories.js";
import {EXITS, type Exit, STOP, type Story} from "./model/story.js";

export type {StorySession};

/** What moving to a scene meant: a fresh start, a (guessed) button, or nothing new. */
export type Move =
  | {kind: "same"}
  | {kind: "started"; session: StorySession}
  | {kind: "moved"; session: StorySession; from: string; button?: Exit};

/** Seconds of a scene's audio, when known; used to tell a track that ran out from a skip. */
export type SceneSeconds = (story: Story, scene: string) => number | undefined;

/**
 * Per-player story sessions. Players tell the cloud nothing about buttons (reference §5.1), but a
 * story card's chapter change — or the request for the next scene — says where the player went, and
 * the exits of the scene it left say which button leads there.
 */
export class StoryTracker {
  readonly #sessions = new Map<string, StorySession>();
  /** Scenes a rule sent a player to (story.goto): arriving there is not a button press. */
  readonly #expected = new Map<string, string>();
  readonly #seconds: SceneSeconds;
  readonly #now: () => number;

  constructor(seconds: SceneSeconds, now: () => number = Date.now) {
    this.#seconds = seconds;
    this.#now = now;
  }

  get(playerId: string): StorySession | undefined {
    return this.#sessions.get(playerId);
  }

  all(): StorySession[] {
    return [...this.#sessions.values()];
  }

  expect(playerId: string, scene: string): void {
    this.#expected.set(playerId, scene);
  }

  /** The player is on `scene` of `story` through card `cardId`. */
  enter(player: {id: string; name: string}, story: Story, cardId: string, scene: string): Move {
    const now = this.#now();
    const current = this.#sessions.get(player.id);
    // Back on the same card at the scene it left: Yoto resumes cards where they stopped, and so does
    // the story (this also absorbs a stale "stopped" report between two fresh ones).
    if (
      current &&
      !current.active &&
      current.story === story.id &&
      current.cardId === cardId &&
      current.scene === scene
    ) {
      current.active = true;
      return {kind: "same"};
    }
    if (!current?.active || current.story !== story.id || current.cardId !== cardId) {
      const session: StorySession = {
        playerId: player.id,
        player: player.name,
        story: story.id,
        cardId,
        mode: story.mode,
        scene,
        path: [scene],
        variables: structuredClone(story.variables),
        enteredAt: now,
        active: true,
      };
      this.#sessions.set(player.id, session);
      this.#expected.delete(player.id);
      return {kind: "started", session};
    }
    if (current.scene === scene) return {kind: "same"};
    const from = current.scene;
    const expected = this.#expected.get(player.id) === scene;
    this.#expected.delete(player.id);
    const button = expected
      ? undefined
      : inferButton(story, from, scene, (now - current.enteredAt) / 1000, this.#seconds);
    current.scene = scene;
    current.path.push(scene);
    current.enteredAt = now;
    return {kind: "moved", session: current, from, button};
  }

  /** Start afresh at `scene`, e.g. story.start from a rule, with optional variables. */
  begin(player: {id: string; name: string}, story: Story, cardId: string, scene: string, variables = {}): StorySession {
    this.#sessions.delete(player.id);
    const move = this.enter(player, story, cardId, scene) as {session: StorySession};
    assignOwn(move.session.variables, variables);
    return move.session;
  }

  /** The player left the story card (removed, stopped, another card). */
  leave(playerId: string): StorySession | undefined {
    const session = this.#sessions.get(playerId);
    if (!session?.active) return undefined;
    session.active = false;
    return session;
  }

  forget(playerId: string): void {
    this.#sessions.delete(playerId);
    this.#expected.delete(playerId);
  }
}

/**
 * The exits that take `from` to `to`. Interactive: the exits of `from` that lead there. Linear: one
 * chapter on is right (or the track running out), one back is left.
 */
export function exitsTo(story: Story, from: string, to: string): Exit[] {
  if (story.mode === "linear") {
    const order = story.scenes.map((s) => s.id);
    const step = order.indexOf(to) - order.indexOf(from);
    return step === 1 ? ["right", "end"] : step === -1 ? ["left"] : [];
  }
  const scene = story.scenes.find((s) => s.id === from);
  if (!scene) return [];
  return EXITS.filter((e) => (scene.exits[e] ?? (e === "end" ? STOP : undefined)) === to);
}

/**
 * Which button takes `from` to `to`. Where a track running out and a press lead to the same place,
 * the time spent in the scene decides: near its end, it was the end.
 */
export function inferButton(
  story: Story,
  from: string,
  to: string,
  elapsedSeconds: number,
  seconds: SceneSeconds,
): Exit | undefined {
  const exits = exitsTo(story, from, to);
  if (exits.length <= 1) return exits[0];
  const length = seconds(story, from);
  const ended = length !== undefined && elapsedSeconds >= Math.max(length - 2, length * 0.75);
  return ended && exits.includes("end") ? "end" : exits.find((e) => e !== "end");
}
