import {createReadStream} from "node:fs";
import {mkdir, rm} from "node:fs/promises";
import path from "node:path";
import {KeyedQueue} from "../core/concurrency.js";
import {AppError, badRequest, errorMessage} from "../core/errors.js";
import {httpRequest} from "../core/httpRequest.js";
import type {Logger} from "../core/logger.js";
import type {Library} from "../library/library.js";
import type {CoreApi, Speech} from "../speech/speech.js";
import {checkName} from "../streams/model.js";
import type {Streams} from "../streams/streams.js";

export interface SpokenItemsOptions {
  speech: Pick<Speech, "speak">;
  library: Library;
  streams: Streams;
  /** Inside Home Assistant: renders `haTemplate` (the weather, the calendar…) through the Core API. */
  core?: CoreApi;
  /** Speech is made here before it is normalised into the library. */
  workDir: string;
  maxBytes: number;
  ffmpegPath: () => string | undefined;
  log: Logger;
}

export interface SpeakRequest {
  /** Text, already filled in (the rules' own `{{ }}` run before this). */
  message?: string;
  /** A Home Assistant template, rendered by Home Assistant: `{{ states('weather.home') }}`. */
  haTemplate?: string;
  language?: string;
  engine?: string;
}

const MAX_TEXT = 2000;

/**
 * Text spoken into a library item at the head of a stream: a morning greeting before the day's
 * episodes. Each stream keeps only its newest spoken item; the one before leaves the queue, the
 * library and the disk. Spoken with the announcements' engine (Home Assistant's TTS inside it, a
 * local program outside).
 */
export class SpokenItems {
  readonly #opts: SpokenItemsOptions;
  /** One at a time per stream, so two runs cannot both keep "their" newest. */
  readonly #queue = new KeyedQueue();

  constructor(opts: SpokenItemsOptions) {
    this.#opts = opts;
  }

  say(stream: string, request: SpeakRequest): Promise<{item: string; text: string}> {
    // Its name becomes a folder: checked before anything is spoken.
    checkName("stream", stream);
    return this.#queue.run(stream, () => this.#say(stream, request));
  }

  async #say(stream: string, request: SpeakRequest): Promise<{item: string; text: string}> {
    const text = (
      request.haTemplate !== undefined ? await this.#render(request.haTemplate) : (request.message ?? "")
    ).trim();
    if (!text) throw badRequest("There is nothing to say: the message is empty", "empty_message");
    if (text.length > MAX_TEXT)
      throw badRequest(`The message is ${text.length} characters; at most ${MAX_TEXT} are spoken`, "message_too_long");
    await mkdir(this.#opts.workDir, {recursive: true});
    const raw = path.join(this.#opts.workDir, `${stream}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    let itemId: string;
    try {
      await this.#opts.speech.speak(text, raw, {engine: request.engine, language: request.language});
      const stamp = new Date().toISOString().slice(0, 16).replace("T", " ").replace(":", "-");
      const item = await this.#opts.library.upload({
        body: createReadStream(raw),
        filename: `Spoken ${stamp}.mp3`,
        title: text.length > 60 ? `${text.slice(0, 59)}…` : text,
        maxBytes: this.#opts.maxBytes,
        normalize: true,
        channels: "mono",
        ffmpegPath: this.#opts.ffmpegPath(),
        folder: ["spoken", stream],
      });
      itemId = item.id;
    } finally {
      await rm(raw, {force: true});
    }
    await this.#putFirst(stream, itemId);
    this.#opts.log.info(`Spoke ${text.length} characters at the head of stream '${stream}'`);
    return {item: itemId, text};
  }

  /** The new item first; the stream's earlier spoken items out of the queue and the library. */
  async #putFirst(stream: string, itemId: string): Promise<void> {
    const {library, streams} = this.#opts;
    const folder = `spoken/${stream}/`;
    const spoken = (id: string) => id !== itemId && (library.get(id)?.relPath.startsWith(folder) ?? false);
    // Added and removed rather than the queue replaced: a feed's stream takes items in front of
    // its episodes, where its refresh keeps them, but no queue its next refresh would undo.
    await streams.add(stream, [itemId], 0);
    for (const old of streams.get(stream).items.filter(spoken)) await streams.removeItem(stream, old);
    for (const old of library
      .items()
      .filter((i) => i.id !== itemId && i.source === "upload" && i.relPath.startsWith(folder)))
      await library
        .remove(old.id)
        .catch((err: unknown) => this.#opts.log.warning(`Could not remove an old spoken item (${errorMessage(err)})`));
  }

  /** `POST /api/template` through the Supervisor: Home Assistant's own templates, with its states. */
  async #render(template: string): Promise<string> {
    const core = this.#opts.core;
    if (!core?.token)
      throw badRequest(
        "ha_template needs Home Assistant, and this service is not running inside it: write the text in 'message' with the rules' own {{ }} expressions",
        "no_home_assistant",
      );
    const failed = (why: string) =>
      new AppError("template_failed", `Home Assistant could not render the template: ${why}`, {
        status: 502,
        expose: true,
      });
    let res: Awaited<ReturnType<typeof httpRequest>>;
    try {
      res = await httpRequest(`${core.url}/core/api/template`, {
        method: "POST",
        headers: {Authorization: `Bearer ${core.token}`, "Content-Type": "application/json"},
        body: JSON.stringify({template}),
        timeoutMs: 15_000,
      });
    } catch (err) {
      throw failed(`it could not be reached (${errorMessage(err)})`);
    }
    if (!res.ok) throw failed(`it answered ${res.status} (${res.text().slice(0, 200)})`);
    return res.text();
  }
}
