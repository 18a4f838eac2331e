import {spawn} from "node:child_process";
import {randomBytes} from "node:crypto";
import {mkdir, rm} from "node:fs/promises";
import path from "node:path";
import {downloadTo} from "../core/download.js";
import {AppError} from "../core/errors.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import {lastLines} from "../core/ffmpeg.js";

export interface AlbumArtOptions {
  /** Where a cover is downloaded before it is scaled (removed straight after). */
  workDir: string;
  ffmpegPath: () => string;
  /** The longest side of the JPEG sent; Home Assistant's media card shows it at about this size. */
  size?: number;
  maxBytes?: number;
  timeoutMs?: number;
  /** How many covers are kept scaled (the players' current cards, and a few before). */
  keep?: number;
  /** Where covers may be fetched from. */
  policy?: FetchPolicy;
}

const DEFAULT_SIZE = 300;

/**
 * A card's cover as the integration wants it: JPEG bytes (it always hands Home Assistant
 * `image/jpeg`), base64 in one MQTT message. Covers come at any size from Yoto's CDN; scaled once
 * here, the message stays a few tens of kB, and a card played again costs nothing.
 */
export class AlbumArt {
  readonly #opts: AlbumArtOptions;
  /** URL → its JPEG in base64, most recently used last. */
  readonly #cache = new Map<string, Promise<string>>();

  constructor(opts: AlbumArtOptions) {
    this.#opts = opts;
  }

  /** The cover at `url`, scaled, in base64; rejects with an error that says which URL and why. */
  get(url: string): Promise<string> {
    const cached = this.#cache.get(url);
    if (cached !== undefined) {
      this.#cache.delete(url);
      this.#cache.set(url, cached);
      return cached;
    }
    const made = this.#make(url);
    this.#cache.set(url, made);
    // A failure is not kept: the next time the card plays it is tried again.
    made.catch(() => this.#cache.get(url) === made && this.#cache.delete(url));
    while (this.#cache.size > (this.#opts.keep ?? 16)) this.#cache.delete(this.#cache.keys().next().value as string);
    return made;
  }

  async #make(url: string): Promise<string> {
    await mkdir(this.#opts.workDir, {recursive: true});
    const file = path.join(this.#opts.workDir, `cover-${randomBytes(6).toString("hex")}`);
    try {
      const {contentType} = await downloadTo(url, file, {
        maxBytes: this.#opts.maxBytes ?? 5 * 1024 * 1024,
        timeoutMs: this.#opts.timeoutMs ?? 15_000,
        policy: this.#opts.policy,
      });
      if (contentType && !/^image\//i.test(contentType))
        throw new AppError("not_an_image", `The cover at ${url.split("?")[0]} is ${contentType}, not an image`);
      return (await this.#scale(file)).toString("base64");
    } finally {
      await rm(file, {force: true});
    }
  }

  /** ffmpeg decodes what Yoto serves (PNG, JPEG, WebP) and writes one JPEG frame to stdout. */
  #scale(file: string): Promise<Buffer> {
    const size = this.#opts.size ?? DEFAULT_SIZE;
    // Never enlarged: a small icon-sized cover stays small rather than blurred.
    const scale = `scale='min(${size},iw)':'min(${size},ih)':force_original_aspect_ratio=decrease`;
    const args = ["-hide_banner", "-nostdin", "-v", "error", "-i", file, "-vf", scale, "-frames:v", "1"];
    args.push("-c:v", "mjpeg", "-q:v", "4", "-f", "image2pipe", "pipe:1");
    return new Promise((resolve, reject) => {
      const child = spawn(this.#opts.ffmpegPath(), args, {stdio: ["ignore", "pipe", "pipe"]});
      const chunks: Buffer[] = [];
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr = (stderr + chunk).slice(-2000);
      });
      child.on("error", reject);
      child.on("close", (code) => {
        const jpeg = Buffer.concat(chunks);
        if (code === 0 && jpeg.length > 0) resolve(jpeg);
        else
          reject(
            new AppError(
              "bad_image",
              `The cover could not be read as an image (${lastLines(stderr) || `ffmpeg exited with ${code}`})`,
            ),
          );
      });
    });
  }
}
