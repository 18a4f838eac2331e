import http from "node:http";
import type {AddressInfo} from "node:net";
import {atFileEnd} from "./fileEnd.js";

/**
 * Music Assistant's flow stream as a renderer meets it, for live casts held for a long time. Its
 * bytes and manners are MA's (music-assistant/server, `controllers/streams.py`:
 * `serve_queue_flow_stream`, `DEFAULT_STREAM_HEADERS`, `ICY_HEADERS`): one answer with no
 * Content-Length (aiohttp sends it chunked), `audio/mpeg`, the stream headers with the sender-paced
 * DLNA flags of the flow stream (as musicAssistantStreams.ts has them), and `await resp.write(chunk)`
 * for each chunk — a writer that waits while the socket is full, so a reader that stops reading holds
 * it back. Asked with `Icy-MetaData: 1`, a metadata block follows every 16,384 bytes of audio.
 */
export interface FlowSource {
  url: string;
  /** Audio bytes handed to the kernel so far (their write completed), over every answer. */
  flushed: number;
  /** Answers begun. */
  answers: number;
  stop(): Promise<void>;
}

export interface FlowOptions {
  /** The audio, sent from its start; `loop` sends it again and again (an endless queue). */
  audio: Buffer;
  loop?: boolean;
  /**
   * MA's ffmpeg `-readrate 1.1 -readrate_initial_burst 10` (streams.py): that many seconds at once,
   * then `rate` × the audio's own byte rate in slices a tenth of a second apart. Without it, as fast
   * as the reader reads (hours of a live source passed in seconds).
   */
  pace?: {bytesPerSecond: number; burstSeconds: number; rate: number};
  /** The title MA's block gives for the audio ending at `byte` of the stream (its queue's current item). */
  title?: (byte: number) => string;
}

const ICY_INTERVAL = 16_384;

export async function flowSource(o: FlowOptions): Promise<FlowSource> {
  const state = {flushed: 0, answers: 0};
  const server = http.createServer((req, res) => {
    const icy = o.title !== undefined && req.headers["icy-metadata"] === "1";
    res.writeHead(200, "OK", {
      Server: "Music Assistant",
      "transferMode.dlna.org": "Streaming",
      "contentFeatures.dlna.org": "DLNA.ORG_OP=00;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=81700000000000000000000000000000",
      "Cache-Control": "no-cache",
      Pragma: "no-cache",
      "icy-name": "Music Assistant",
      "icy-description": "Music Assistant - Your personal music assistant",
      "icy-version": "1",
      "Accept-Ranges": "none",
      "Content-Type": "audio/mpeg",
      ...(icy ? {"icy-metaint": String(ICY_INTERVAL)} : {}),
    });
    if (req.method !== "GET") {
      res.end();
      return;
    }
    state.answers++;
    void send(res, o, icy, state);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const stop = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  atFileEnd(stop);
  const source: FlowSource = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/flow/5f1c2a9e/media_player.yoto/0/uuid-yoto.mp3`,
    get flushed() {
      return state.flushed;
    },
    get answers() {
      return state.answers;
    },
    stop,
  };
  return source;
}

/** The answer's body: chunks of ICY_INTERVAL audio bytes (each with its block when asked), paced or not. */
async function send(res: http.ServerResponse, o: FlowOptions, icy: boolean, state: {flushed: number}): Promise<void> {
  const {audio, pace} = o;
  const started = performance.now();
  let at = 0;
  for (let sent = 0; !res.destroyed; ) {
    if (at >= audio.length) {
      if (!o.loop) break;
      at = 0;
    }
    if (pace) {
      // Not before its time: the burst at once, then `rate` × real time.
      const due = pace.burstSeconds + ((performance.now() - started) / 1000) * pace.rate;
      const wait = ((sent / pace.bytesPerSecond - due) / pace.rate) * 1000;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 100)));
      if (wait > 0) continue;
    }
    const chunk = audio.subarray(at, Math.min(audio.length, at + ICY_INTERVAL));
    at += chunk.length;
    sent += chunk.length;
    const block = icy && o.title ? metadataBlock(o.title(sent)) : undefined;
    const ok = res.write(block ? Buffer.concat([chunk, block]) : chunk, () => {
      state.flushed += chunk.length;
    });
    // aiohttp's write waits for the transport to drain: a reader that stops holds the writer.
    if (!ok && !res.destroyed) await drainedOrClosed(res);
  }
  if (!res.destroyed) res.end();
}

function drainedOrClosed(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** `StreamTitle='…';` zero-padded to a multiple of 16, after one byte giving its length ÷ 16. */
function metadataBlock(title: string): Buffer {
  const text = Buffer.from(`StreamTitle='${title}';`, "utf8");
  const units = Math.ceil(text.length / 16);
  const block = Buffer.alloc(1 + units * 16);
  block[0] = units;
  text.copy(block, 1);
  return block;
}
