import {readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {SAMPLE_TRACKS} from "./sampleAudio.js";

/** The sample tracks are 128 kbit/s: the station sends them at that pace, like a real one. */
const BYTES_PER_SECOND = 16_000;
/** Audio bytes between ICY metadata blocks, as Icecast and Shoutcast send them (one a second here). */
const METAINT = 16_000;
const TICK_MS = 250;

interface Song {
  title: string;
  audio: Buffer;
}

/**
 * A small internet radio station on this machine for `npm run demo`: it loops the sample tracks at
 * real-time pace with ICY metadata (`StreamTitle`), as Icecast and Shoutcast do, so the Radio
 * kind of stream has something to play and a "now playing" that changes without the internet.
 */
export class DemoStation {
  readonly #server = http.createServer((req, res) => this.#answer(req, res));
  #songs: Song[] = [];
  #url?: string;
  #connections = 0;

  /** Listeners it has served (the bench counts the service's upstream connections with it). */
  get connections(): number {
    return this.#connections;
  }

  /** Load the sample tracks from `mediaDir` and listen on a loopback port (0: a free one). */
  async start(mediaDir: string, port = 0): Promise<string> {
    this.#songs = await Promise.all(
      SAMPLE_TRACKS.map(async (t) => ({
        title: `${t.title} - Yoto Smart Stream demo`,
        audio: audioFrames(await readFile(path.join(mediaDir, t.file))),
      })),
    );
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, "127.0.0.1", () => {
        this.#server.off("error", reject);
        resolve();
      });
    });
    const bound = (this.#server.address() as AddressInfo).port;
    this.#url = `http://127.0.0.1:${bound}/demo-radio.mp3`;
    return this.#url;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.url !== "/demo-radio.mp3" || this.#songs.length === 0) {
      res.writeHead(404).end();
      return;
    }
    this.#connections++;
    const withMeta = req.headers["icy-metadata"] === "1";
    res.writeHead(200, {
      "Content-Type": "audio/mpeg",
      "icy-name": "Yoto Smart Stream demo radio",
      ...(withMeta ? {"icy-metaint": String(METAINT)} : {}),
    });
    let song = 0;
    let offset = 0;
    let untilMeta = METAINT;
    let announce = true;
    const send = () => {
      let budget = (BYTES_PER_SECOND * TICK_MS) / 1000;
      while (budget > 0) {
        const current = this.#songs[song] as Song;
        const take = Math.min(budget, current.audio.length - offset, withMeta ? untilMeta : budget);
        res.write(current.audio.subarray(offset, offset + take));
        offset += take;
        budget -= take;
        untilMeta -= take;
        if (offset >= current.audio.length) {
          song = (song + 1) % this.#songs.length;
          offset = 0;
          announce = true;
        }
        if (withMeta && untilMeta === 0) {
          // An empty block (one zero byte) keeps the title; a new song sends its own.
          res.write(announce ? metadataBlock((this.#songs[song] as Song).title) : Buffer.alloc(1));
          announce = false;
          untilMeta = METAINT;
        }
      }
    };
    // A first tick's worth at once, as stations send a burst to a new listener.
    send();
    const timer = setInterval(send, TICK_MS);
    res.on("close", () => clearInterval(timer));
  }
}

/** An ICY metadata block: a length byte in 16-byte units, then `StreamTitle='…';` padded with zeros. */
function metadataBlock(title: string): Buffer {
  const text = Buffer.from(`StreamTitle='${title.replace(/'/g, "")}';`, "utf8");
  const units = Math.ceil(text.length / 16);
  const block = Buffer.alloc(1 + units * 16);
  block[0] = units;
  text.copy(block, 1);
  return block;
}

/** The MP3 frames of a file: its ID3v2 tag (front) and ID3v1 tag (last 128 bytes) left out. */
function audioFrames(file: Buffer): Buffer {
  let start = 0;
  if (file.subarray(0, 3).toString("latin1") === "ID3") {
    const size = ((file[6] ?? 0) << 21) | ((file[7] ?? 0) << 14) | ((file[8] ?? 0) << 7) | (file[9] ?? 0);
    start = 10 + size;
  }
  const end = file.subarray(-128, -125).toString("latin1") === "TAG" ? file.length - 128 : file.length;
  return file.subarray(start, end);
}
