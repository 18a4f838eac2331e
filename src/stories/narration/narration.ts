import {createHash} from "node:crypto";
import {createReadStream} from "node:fs";
import {copyFile, mkdir, readdir, rm} from "node:fs/promises";
import path from "node:path";
import {nextTurn} from "../../core/concurrency.js";
import {errorMessage} from "../../core/errors.js";
import type {EventBus} from "../../core/events.js";
import type {Logger} from "../../core/logger.js";
import type {Service} from "../../core/service.js";
import type {Library} from "../../library/library.js";
import {NARRATION_FOLDER} from "../../library/places.js";
import {itemId} from "../../library/scanner.js";
import type {NarrationProgress} from "../../shared/api/stories.js";
import type {Speech} from "../../speech/speech.js";
import {EXITS, type Scene, type Story, type StoryVoice} from "../model/story.js";
import {leftBehind} from "./prune.js";
import {Recordings} from "./recordings.js";

export interface NarrationOptions {
  speech: Pick<Speech, "speak">;
  library: Library;
  bus: EventBus;
  log: Logger;
  /** Where speech is made before the library makes it the player's MP3. */
  workDir: string;
  /** Where story files live: a recording beside a story replaces a scene's narration. */
  rulesDir: string;
  maxBytes: number;
  ffmpegPath: () => string | undefined;
}

/** The library folder narrations live in, one file per text and voice (the library's own place for them). */
export {NARRATION_FOLDER};

/**
 * Stories' `say` scenes made audio: the service's speech (Home Assistant's TTS, or a local engine)
 * into a library MP3, cached by text and voice so an unchanged scene is never spoken twice, and a
 * recording beside the story (`<story>/audio/<scene title>.mp3`) used instead where there is one.
 * Loaded stories are narrated ahead of time, one scene at a time, with progress per story; a scene
 * asked for before its turn (a player pressing on, an ink story's next scene) is made at once.
 */
export class StoryNarration implements Service {
  readonly name = "narration";
  readonly #opts: NarrationOptions;
  readonly #progress = new Map<string, NarrationProgress>();
  /** What each story's narration was made from: its voice and texts. */
  readonly #signatures = new Map<string, string>();
  /** Narrations under way, by cache key: a scene asked for twice is made once. */
  readonly #making = new Map<string, Promise<string>>();
  #stories: Story[] = [];
  #ahead: Promise<void> = Promise.resolve();
  #stopped = false;
  readonly #recordings: Recordings;

  constructor(opts: NarrationOptions) {
    this.#opts = opts;
    this.#recordings = new Recordings(opts.rulesDir);
  }

  async start(): Promise<void> {
    this.#stopped = false;
    // Speech half made when the service was killed (kill -9, power cut) is never finished: gone, so
    // restarts cannot fill a small disk with it (an hour-long scene is tens of MB of WAV).
    try {
      const left = await readdir(this.#opts.workDir);
      if (left.length === 0) return;
      await rm(this.#opts.workDir, {recursive: true, force: true});
      this.#opts.log.info(
        `Removed ${left.length} unfinished narration file(s) an earlier run left in '${this.#opts.workDir}'`,
      );
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      // Not fatal: narration still works; the folder just keeps what it held, and the log says so.
      this.#opts.log.warning(
        `Could not remove unfinished narration files from '${this.#opts.workDir}': ${errorMessage(err)}`,
      );
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#ahead;
    await Promise.allSettled([...this.#making.values()]);
  }

  health() {
    const failing = [...this.#progress.entries()].filter(([, p]) => p.failed.length > 0).map(([id]) => id);
    return failing.length > 0
      ? {status: "degraded" as const, message: `Narration failed for stories ${failing.join(", ")}: retry from Stories`}
      : {details: {stories: this.#progress.size}};
  }

  /** A story's narration so far; undefined for a story with nothing to narrate. */
  progress(storyId: string): NarrationProgress | undefined {
    const p = this.#progress.get(storyId);
    return p ? structuredClone(p) : undefined;
  }

  /** The stories of a rules load: their scenes are narrated ahead of time, in the background. */
  setStories(stories: Story[]): void {
    const before = this.#stories;
    this.#stories = stories;
    // What an edited or deleted story said and no story says now goes from the library.
    void this.#prune(before, stories);
    const spoken = stories.filter((s) => s.scenes.some((scene) => sayOf(scene)));
    const kept = new Set(spoken.map((s) => s.id));
    for (const id of [...this.#progress.keys()])
      if (!kept.has(id)) {
        this.#progress.delete(id);
        this.#signatures.delete(id);
      }
    // A reload with the story unchanged (any rule file saved) leaves its narration as it is.
    for (const story of spoken) if (this.#signatures.get(story.id) !== signature(story)) this.#queue(story);
  }

  /** A `say` scene's narration key: what its library item is named by. */
  #narrationKey(story: Story, scene: Scene): string | undefined {
    const text = sayOf(scene);
    return text === undefined ? undefined : speechKey(text, story.narration ?? {});
  }

  /** Remove the narrations that `before`'s stories said and no story says now. */
  async #prune(before: Story[], after: Story[]): Promise<void> {
    // Worked out in a turn of the event loop of its own, not the load's: a changed story's every scene is hashed.
    await nextTurn();
    // Every load makes new story objects: a story whose voice and texts are as they were (the same
    // file imported again, any other file saved) left nothing behind, and its scenes are not hashed.
    const same = (was: Story, now: Story) => was === now || signature(was) === signature(now);
    const keys = leftBehind(before, after, (story, scene) => this.#narrationKey(story, scene), same);
    if (keys.length === 0) return;
    // One being made now (the story changed as it was narrated) is removed once it is made, if no
    // story loaded by then says it.
    await Promise.all(keys.map((key) => this.#making.get(key)?.catch(() => undefined)));
    const wanted = this.#wanted();
    let removed = 0;
    for (const key of keys) {
      const id = narrationItem(key);
      if (wanted.has(key) || !this.#opts.library.get(id)) continue;
      try {
        await this.#opts.library.remove(id);
        removed++;
      } catch (err) {
        this.#opts.log.warning(`Could not remove narration '${id}' no story says any more (${errorMessage(err)})`);
      }
    }
    if (removed > 0) this.#opts.log.info(`Removed ${removed} narration(s) no story says any more`);
  }

  /** The narration keys the stories loaded now say. */
  #wanted(): Set<string> {
    return new Set(
      this.#stories.flatMap((story) => story.scenes.flatMap((scene) => this.#narrationKey(story, scene) ?? [])),
    );
  }

  /** Narrate a story's scenes again where they failed (the others are cached): its progress. */
  retry(storyId: string): NarrationProgress | undefined {
    // A story with nothing to narrate (an ink story: its scenes are narrated as it plays) has no progress.
    const story = this.#stories.find((s) => s.id === storyId && s.scenes.some((scene) => sayOf(scene)));
    if (story) this.#queue(story);
    return this.progress(storyId);
  }

  /** A scene's audio as a library item id, made now if it is not made yet. */
  async audioFor(story: Story, scene: Scene): Promise<string> {
    const recording = await this.#recordings.find(story, scene);
    if (recording) return this.#make(recording.key, scene.title, (raw) => copyFile(recording.file, raw));
    return this.say(sayOf(scene) ?? "", story.narration ?? {}, scene.title);
  }

  /** Any text in a voice (an ink scene's): the library item that speaks it. */
  say(text: string, voice: StoryVoice, title = text): Promise<string> {
    const key = speechKey(text, voice);
    return this.#make(key, title, async (raw) => {
      await this.#opts.speech.speak(text, raw, voice);
    });
  }

  /** A `say` scene's narration when it is made already (a recording's is not looked for here). */
  cachedItem(story: Story, scene: Scene): string | undefined {
    const text = sayOf(scene);
    if (text === undefined) return undefined;
    const id = narrationItem(speechKey(text, story.narration ?? {}));
    return this.#opts.library.get(id) ? id : undefined;
  }

  #queue(story: Story): void {
    this.#signatures.set(story.id, signature(story));
    const scenes = story.scenes.filter((s) => sayOf(s));
    const progress: NarrationProgress = {state: "narrating", total: scenes.length, done: 0, failed: []};
    this.#progress.set(story.id, progress);
    this.#emit(story.id);
    this.#ahead = this.#ahead.then(() => this.#narrateAll(story, scenes, progress));
  }

  async #narrateAll(story: Story, scenes: Scene[], progress: NarrationProgress): Promise<void> {
    for (const scene of scenes) {
      // A newer load replaced this story's progress: the newer run narrates it.
      if (this.#stopped || this.#progress.get(story.id) !== progress) return;
      try {
        await this.audioFor(story, scene);
        progress.done++;
      } catch (err) {
        progress.failed.push({scene: scene.id, title: scene.title, error: errorMessage(err)});
        this.#opts.log.warning(`Story '${story.id}' scene '${scene.id}' was not narrated: ${errorMessage(err)}`);
      }
      this.#emit(story.id);
    }
    progress.state = progress.failed.length > 0 ? "failed" : "ready";
    this.#emit(story.id);
    if (progress.state === "ready") this.#opts.log.info(`Story '${story.id}': ${progress.total} scenes narrated`);
  }

  #emit(storyId: string): void {
    const narration = this.progress(storyId);
    if (narration) this.#opts.bus.emit("story.narrationProgress", {story: storyId, narration});
  }

  /** The cached item for `key`, or made by `write` (raw audio) and put in the library as an MP3. */
  #make(key: string, title: string, write: (raw: string) => Promise<void>): Promise<string> {
    const id = narrationItem(key);
    if (this.#opts.library.get(id)) return Promise.resolve(id);
    const under = this.#making.get(key);
    if (under !== undefined) return under;
    const made = this.#store(key, title, write).finally(() => this.#making.delete(key));
    this.#making.set(key, made);
    return made;
  }

  async #store(key: string, title: string, write: (raw: string) => Promise<void>): Promise<string> {
    await mkdir(this.#opts.workDir, {recursive: true});
    const raw = path.join(this.#opts.workDir, `${key}-${process.pid}`);
    try {
      await write(raw);
      const item = await this.#opts.library.upload({
        body: createReadStream(raw),
        filename: `${key}.mp3`,
        title: title.length > 100 ? `${title.slice(0, 99)}…` : title,
        maxBytes: this.#opts.maxBytes,
        normalize: true,
        channels: "mono",
        ffmpegPath: this.#opts.ffmpegPath(),
        folder: [NARRATION_FOLDER],
      });
      return item.id;
    } finally {
      await rm(raw, {force: true});
    }
  }
}

/** The text a scene narrates, if it is a `say` scene with something to say: its say, then its exits' prompts. */
export function sayOf(scene: Scene): string | undefined {
  if (!("say" in scene.audio) || !scene.audio.say.trim()) return undefined;
  const prompts = EXITS.flatMap((exit) => {
    const prompt = scene.prompts?.[exit];
    return prompt && scene.exits[exit] !== undefined ? [prompt] : [];
  });
  return [scene.audio.say, ...prompts].join("\n");
}

/** The library item a narration is kept as: the same for a key whoever asks for it. */
function narrationItem(key: string): string {
  return itemId("upload", `${NARRATION_FOLDER}/${key}.mp3`);
}

/** Each loaded story's signature, made once: a load compares it with the next load's. */
const signatures = new WeakMap<Story, string>();

function signature(story: Story): string {
  let made = signatures.get(story);
  if (made === undefined) {
    made = JSON.stringify([story.narration ?? {}, story.scenes.map((s) => [s.id, s.title, sayOf(s) ?? ""])]);
    signatures.set(story, made);
  }
  return made;
}

function speechKey(text: string, voice: StoryVoice): string {
  return hash(JSON.stringify(["say", voice.engine ?? "", voice.language ?? "", text]));
}

function hash(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex").slice(0, 32);
}
