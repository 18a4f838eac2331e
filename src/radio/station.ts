import type {ServerResponse} from "node:http";
import type {Readable} from "node:stream";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {silentMp3} from "../streams/silence.js";
import {type StationPolicy, shownInText, shownUrl} from "./policyGet.js";
import type {RadioState, RadioTimings} from "./types.js";
import {openUpstream} from "./upstream.js";

const TICK_MS = 250;
/** Silent frames per tick: 128 kb/s at 44.1 kHz is 16,000 bytes a second. */
const SILENCE_TICK = silentMp3(TICK_MS / 1000);
/** A station may send in bursts, but not faster than this on average (a 512 kb/s stream). */
const MAX_BYTES_PER_SECOND = 64 * 1024;
const BURST_BYTES = 256 * 1024;

export interface StationDeps {
  policy: StationPolicy;
  ffmpegPath: () => string;
  timings: RadioTimings;
  log: Logger;
  /** The spoken "not answering" clip as MP3, when a speech engine made one. */
  downMessage(): Buffer | undefined;
  changed(state: RadioState, error: string | null): void;
  titled(title: string): void;
}

/**
 * One station, however many players listen: one upstream connection fanned out to every listener.
 * It connects at the first listener and lets go a little after the last. While the station sends
 * nothing (a drop, a stall, a reconnect) listeners get silence at real-time pace, so players keep
 * the stream open; a station down for long says so, and the players hear it now and then.
 */
export class Station {
  readonly url: string;
  readonly #deps: StationDeps;
  readonly #listeners = new Set<ServerResponse>();
  #state: RadioState = "idle";
  #error: string | null = null;
  #since = new Date().toISOString();
  #title: string | null = null;
  #connection?: AbortController;
  #running = false;
  #closed = false;
  #lastAudio = 0;
  #failingSince = 0;
  #linger?: NodeJS.Timeout;
  #ticker?: NodeJS.Timeout;
  #stalled = false;
  /** Aborted by close(): a backoff wait ends at once. */
  readonly #life = new AbortController();
  #attemptAt = 0;
  #nextMessageAt = 0;
  #quietUntil = 0;
  #bucket = BURST_BYTES;
  #bucketAt = performance.now();

  constructor(url: string, deps: StationDeps) {
    this.url = url;
    this.#deps = deps;
  }

  status() {
    return {
      url: shownUrl(this.url),
      state: this.#state,
      now_playing: this.#title,
      error: this.#error,
      listeners: this.#listeners.size,
      since: this.#since,
    };
  }

  get nowPlaying(): string | undefined {
    return this.#title ?? undefined;
  }

  /** A player joins: it hears the station from now on (or silence until it plays). */
  add(res: ServerResponse): void {
    // One that left already would never say so ('close' has gone by) and would hold the station open.
    if (this.#closed || res.destroyed) {
      res.destroy();
      return;
    }
    clearTimeout(this.#linger);
    this.#listeners.add(res);
    res.on("close", () => this.#remove(res));
    this.#ticker ??= setInterval(() => this.#tick(), TICK_MS);
    if (!this.#running) void this.#run();
  }

  /** The stream was deleted or given another station: everyone is let go. */
  close(): void {
    this.#closed = true;
    this.#life.abort();
    clearTimeout(this.#linger);
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#connection?.abort();
    for (const res of this.#listeners) res.destroy();
    this.#listeners.clear();
  }

  #remove(res: ServerResponse): void {
    if (!this.#listeners.delete(res) || this.#listeners.size > 0) return;
    clearTimeout(this.#linger);
    this.#linger = setTimeout(() => this.#letGo(), this.#deps.timings.lingerMs);
  }

  /** Nobody listens any more: the upstream is closed until someone does. */
  #letGo(): void {
    if (this.#listeners.size > 0) return;
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#connection?.abort();
  }

  async #run(): Promise<void> {
    this.#running = true;
    let attempt = 0;
    while (!this.#closed && this.#listeners.size > 0) {
      if (this.#state !== "down") this.#set(attempt === 0 ? "connecting" : "reconnecting", this.#error);
      const controller = new AbortController();
      this.#connection = controller;
      this.#attemptAt = performance.now();
      try {
        const audio = await openUpstream(this.url, {
          policy: this.#deps.policy,
          signal: controller.signal,
          timeoutMs: this.#deps.timings.connectTimeoutMs,
          ffmpegPath: this.#deps.ffmpegPath,
          onTitle: (title) => this.#titled(title),
        });
        if (await this.#play(audio, controller)) attempt = 0;
      } catch (err) {
        if (controller.signal.aborted && (this.#closed || this.#listeners.size === 0)) break;
        this.#failed(
          this.#stalled
            ? `it did not answer within ${(this.#deps.timings.stallMs + this.#deps.timings.connectTimeoutMs) / 1000} s`
            : errorMessage(err),
        );
        this.#stalled = false;
      }
      controller.abort();
      if (this.#closed || this.#listeners.size === 0) break;
      attempt++;
      const wait = Math.min(
        this.#deps.timings.maxBackoffMs,
        this.#deps.timings.firstBackoffMs * 2 ** Math.min(attempt - 1, 10),
      );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#life.signal.addEventListener("abort", done, {once: true});
      });
    }
    this.#running = false;
    if (!this.#closed) this.#set("idle", null);
    // A listener that came while the loop was ending starts it again.
    if (!this.#closed && this.#listeners.size > 0) void this.#run();
  }

  /** Fan the audio out until the station stops sending; true when some audio came. */
  #play(audio: Readable, controller: AbortController): Promise<boolean> {
    return new Promise((resolve) => {
      let heard = false;
      const onData = (chunk: Buffer) => {
        if (!heard) {
          heard = true;
          // Said as the station going down was said: once, so the log tells how long it was out.
          if (this.#state === "down")
            this.#deps.log.info(
              `Station ${shownUrl(this.url)} is back, after ${lasted(performance.now() - this.#failingSince)} not answering`,
            );
          this.#failingSince = 0;
          this.#nextMessageAt = 0;
          this.#set("playing", null);
        }
        this.#lastAudio = performance.now();
        this.#broadcast(chunk);
        this.#pace(audio, chunk.length);
      };
      audio.on("data", onData);
      let done = false;
      const finish = (why?: string) => {
        if (done) return;
        done = true;
        audio.off("data", onData);
        audio.destroy();
        if (!this.#closed && this.#listeners.size > 0) {
          if (this.#stalled) this.#failed(`it sent no audio for ${this.#deps.timings.stallMs / 1000} s`);
          else if (!controller.signal.aborted) this.#failed(why ?? "it ended its stream");
        }
        this.#stalled = false;
        resolve(heard);
      };
      audio.once("error", (err) => finish(errorMessage(err)));
      audio.once("end", () => finish());
      controller.signal.addEventListener("abort", () => finish(), {once: true});
    });
  }

  /** Hold a station that sends faster than any real one: its bytes wait in the socket, not here. */
  #pace(audio: Readable, bytes: number): void {
    const now = performance.now();
    this.#bucket = Math.min(BURST_BYTES, this.#bucket + ((now - this.#bucketAt) * MAX_BYTES_PER_SECOND) / 1000);
    this.#bucketAt = now;
    this.#bucket -= bytes;
    if (this.#bucket >= 0) return;
    audio.pause();
    setTimeout(() => audio.resume(), Math.ceil((-this.#bucket * 1000) / MAX_BYTES_PER_SECOND));
  }

  #broadcast(chunk: Buffer): void {
    for (const res of this.#listeners) {
      // A player that cannot keep up is let go (it reconnects) rather than held in memory.
      if (res.writableLength > this.#deps.timings.listenerBufferBytes) res.destroy();
      else res.write(chunk);
    }
  }

  /** Every tick: silence (or now and then the spoken message) while the station sends nothing, and the stall watchdog. */
  #tick(): void {
    const now = performance.now();
    const {stallMs, connectTimeoutMs, silenceAfterMs} = this.#deps.timings;
    // A connection that sends nothing (a stalled station, an HLS playlist whose segments never
    // come) is dropped and made again; one still connecting gets its connect time on top.
    const quietFor = now - Math.max(this.#lastAudio, this.#attemptAt);
    const live = this.#connection && !this.#connection.signal.aborted;
    if (live && quietFor > stallMs + (this.#state === "playing" ? 0 : connectTimeoutMs)) {
      this.#deps.log.info(
        `Station ${shownUrl(this.url)} sent nothing for ${Math.round(quietFor / 1000)} s: reconnecting`,
      );
      this.#stalled = true;
      this.#connection?.abort();
    }
    if (this.#state === "playing" && now - this.#lastAudio < silenceAfterMs) return;
    if (
      this.#state !== "playing" &&
      this.#failingSince &&
      now - this.#failingSince > this.#deps.timings.downAfterMs &&
      this.#state !== "down"
    ) {
      // The song it said last is not playing any more: nobody is shown it while it is down.
      this.#title = null;
      this.#set("down", this.#error);
      this.#deps.log.warning(`Station ${shownUrl(this.url)} is not answering: ${this.#error ?? "no audio"}`);
    }
    if (this.#state === "down") {
      const message = now >= this.#nextMessageAt ? this.#deps.downMessage() : undefined;
      if (message) {
        this.#broadcast(message);
        // The clip lasts its length at 16,000 bytes a second: no silence on top of it meanwhile.
        this.#quietUntil = now + (message.length / 16_000) * 1000;
        this.#nextMessageAt = this.#quietUntil + this.#deps.timings.downMessageEveryMs;
      }
      if (now < this.#quietUntil) return;
    }
    this.#broadcast(SILENCE_TICK);
  }

  #failed(why: string): void {
    if (!this.#failingSince) this.#failingSince = performance.now();
    // Errors may quote the address as given (or one it led to): never with its password or query.
    this.#error = shownInText(why.replaceAll(this.url, shownUrl(this.url)));
    if (this.#state === "playing") this.#set("reconnecting", this.#error);
    this.#deps.log.debug(`Station ${shownUrl(this.url)}: ${this.#error}`);
  }

  #titled(title: string): void {
    if (title === this.#title) return;
    this.#title = title;
    this.#deps.titled(title);
  }

  #set(state: RadioState, error: string | null): void {
    if (state === this.#state && error === this.#error) return;
    if (state !== this.#state) this.#since = new Date().toISOString();
    this.#state = state;
    this.#error = error;
    this.#deps.changed(state, error);
  }
}

/** "45 s", "3 min", "2 h 5 min". */
function lasted(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
