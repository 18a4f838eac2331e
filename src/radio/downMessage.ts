import {mkdir, readFile, rename, rm} from "node:fs/promises";
import path from "node:path";
import {errorMessage} from "../core/errors.js";
import {runFfmpeg, STATION_MP3} from "../core/ffmpeg.js";
import type {Logger} from "../core/logger.js";
import type {Speech} from "../speech/speech.js";

const TEXT = "The radio station is not answering. Trying again.";

/**
 * The spoken "not answering" clip, as the same MP3 the stations are sent as (128 kb/s, 44.1 kHz,
 * stereo): made once by the speech engine the announcements use, then kept. Without an engine the
 * players hear silence only, and the log says why once.
 */
export class DownMessage {
  readonly #file: string;
  readonly #speech?: Speech;
  readonly #ffmpegPath: () => string;
  readonly #log: Logger;
  #clip?: Buffer;
  #making?: Promise<void>;

  constructor(opts: {workDir: string; speech?: Speech; ffmpegPath: () => string; log: Logger}) {
    this.#file = path.join(opts.workDir, "not-answering.mp3");
    this.#speech = opts.speech;
    this.#ffmpegPath = opts.ffmpegPath;
    this.#log = opts.log;
  }

  /** The clip when made; the first call starts making it (a station is down only rarely). */
  get(): Buffer | undefined {
    this.#making ??= this.#make();
    return this.#clip;
  }

  /** For tests and stop: wait for a clip being made. */
  async settled(): Promise<void> {
    await this.#making;
  }

  async #make(): Promise<void> {
    try {
      this.#clip = await readFile(this.#file);
      return;
    } catch {
      // Not made yet.
    }
    if (!this.#speech) return;
    const dir = path.dirname(this.#file);
    const spoken = path.join(dir, "not-answering.speech");
    const part = `${this.#file}.part`;
    try {
      await mkdir(dir, {recursive: true});
      await this.#speech.speak(TEXT, spoken);
      await runFfmpeg(this.#ffmpegPath(), ["-y", "-i", spoken, ...STATION_MP3, "-f", "mp3", part]);
      await rename(part, this.#file);
      this.#clip = await readFile(this.#file);
    } catch (err) {
      this.#log.info(
        `Stations that are down will be heard as silence: the spoken message could not be made (${errorMessage(err)})`,
      );
    } finally {
      await rm(spoken, {force: true});
      await rm(part, {force: true});
    }
  }
}
