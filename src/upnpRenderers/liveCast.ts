import {randomUUID} from "node:crypto";
import {isIP} from "node:net";
import {pipeline, type Readable} from "node:stream";
import type {Clip} from "../announce/clips.js";
import {FromFirstFrame} from "../announce/mpegStart.js";
import {errorMessage} from "../core/errors.js";
import {httpGetStream} from "../core/httpRequest.js";
import {unbracket} from "../core/ipAddress.js";
import {withoutIcyMetadata} from "../radio/icy.js";
import {actionFailed} from "../upnp/soap.js";
import {HeldSource} from "./heldSource.js";
import {playBehindAnnouncements} from "./queueActions.js";
import type {Renderer} from "./renderer.js";
import type {Cast} from "./rendererState.js";
import type {SourceFormat} from "./sourceKind.js";

/** What a live cast plays now: the title its ICY metadata gave last (Music Assistant's flow mode sends one per song). */
export interface LiveCast {
  title?: string;
  /** An announcement plays over it: its source is held (not read) until it is put back. */
  interrupted?: boolean;
  /** The player paused (true) or plays again: its source is not read meanwhile (HeldSource.hold). */
  paused(paused: boolean): void;
  stop(): void;
}

/**
 * An endless MP3 stream cast to a renderer (a station, Music Assistant in flow mode): passed
 * through to the relay card as it comes, with its ICY metadata taken out. Each StreamTitle is the
 * track's title from then on, for Home Assistant (CurrentTrackMetaData) and for the player (its
 * Players card, its MQTT media player). There is no length, so no seek, and no next.
 */
export async function startLive(
  r: Renderer,
  cast: Cast,
  url: string,
  format: SourceFormat,
  signal: AbortSignal,
): Promise<void> {
  const stopped = new AbortController();
  let paused = false;
  let held: HeldSource | undefined;
  const live: LiveCast = {
    stop: () => stopped.abort(),
    paused: (now) => {
      paused = now;
      held?.hold(now);
    },
  };
  let settle!: () => void;
  const finished = new Promise<void>((resolve) => {
    settle = resolve;
  });
  let holdTimer: NodeJS.Timeout | undefined;
  stopped.signal.addEventListener(
    "abort",
    () => {
      clearTimeout(holdTimer);
      held?.destroy();
      settle();
    },
    {once: true},
  );
  const clip: Clip = {
    id: randomUUID(),
    segments: [],
    size: 0,
    seconds: 0,
    describe: `the live stream ${new URL(url).host}`,
    files: [],
    finished,
    feed: async (send, gone) => {
      // Put back after an announcement: the source held meanwhile goes on where it was.
      clearTimeout(holdTimer);
      if (live.interrupted) {
        live.interrupted = false;
        r.changed();
      }
      let how: "ended" | "gone" | "taken" | undefined;
      try {
        // The source outlives one answer of the player's: an announcement may take the relay a while.
        held ??= new HeldSource(
          await openUpstream(r, url, format, stopped.signal, (title) => {
            live.title = title;
            r.changed();
          }),
        );
        held.hold(paused);
        how = await held.pipe(send, gone, IDLE_MS);
      } catch (err) {
        // The player leaving is the audio listener's debug line; only the stream failing is worth a warning.
        if (!gone.aborted && !stopped.signal.aborted)
          r.deps.log.warning(
            `'${r.identity.name}': the live stream ${new URL(url).host} stopped: ${errorMessage(err)}`,
          );
        throw err;
      } finally {
        // Ended, broken or silent: so is the cast (a player asking again is a new cast). Held by an
        // announcement, it waits to be put back; read by a newer answer, it goes on there.
        if (how === "taken") {
          // Nothing to do: the newer answer has it.
        } else if (!gone.aborted) {
          live.stop();
          r.changed();
        } else if (!live.interrupted) {
          held?.destroy();
          held = undefined;
        }
      }
    },
    resumable: {
      title: () => live.title ?? cast.title,
      over: () => stopped.signal.aborted,
      paused: () => cast.announcedOver === "PAUSED_PLAYBACK",
      interrupt: () => {
        live.interrupted = true;
        cast.announcedOver = r.player().playback.status === "paused" ? "PAUSED_PLAYBACK" : "PLAYING";
        // Not put back in this long: nothing is held for it any more.
        holdTimer = setTimeout(() => live.stop(), MAX_HELD_MS);
        r.changed();
      },
      abandon: (why) => {
        // Stopped by its control point meanwhile: nothing more to tell.
        if (stopped.signal.aborted) return;
        const title = live.title ?? cast.title;
        live.interrupted = false;
        cast.announcedOver = undefined;
        live.stop();
        r.castEnded(title, why);
        r.changed();
      },
    },
  };
  cast.live?.stop();
  cast.live = live;
  try {
    await playBehindAnnouncements(r, cast, clip, signal);
  } catch (err) {
    live.stop();
    throw err;
  }
}

async function openUpstream(
  r: Renderer,
  url: string,
  format: SourceFormat,
  signal: AbortSignal,
  onTitle: (title: string) => void,
): Promise<Readable> {
  const target = new URL(url);
  const lookup = isIP(unbracket(target.hostname)) ? undefined : r.deps.target.policy.lookupFor(target);
  let res: Awaited<ReturnType<typeof httpGetStream>>;
  // Only the answer's headers are timed: the body of a live stream never ends.
  const answered = new AbortController();
  const late = setTimeout(() => answered.abort(), HEADERS_MS);
  try {
    res = await httpGetStream(target, {
      headers: {"Icy-MetaData": "1"},
      signal: AbortSignal.any([signal, answered.signal]),
      ...(lookup ? {lookup} : {}),
    });
  } catch (err) {
    const why = answered.signal.aborted ? `no answer within ${HEADERS_MS / 1000} s` : errorMessage(err);
    throw actionFailed(`${target.host} could not be reached: ${why}`);
  } finally {
    clearTimeout(late);
  }
  if ((res.statusCode ?? 0) >= 400) {
    res.destroy();
    throw actionFailed(`${target.host} answered ${res.statusCode} for the live stream`);
  }
  const audio = withoutIcyMetadata(res, onTitle);
  // MP3 under any of its names passes as it is; FLAC (Music Assistant's default), AAC, Ogg, WAV and PCM are converted.
  // From its first whole frame: a station joined mid-way begins inside one.
  if (format.kind === "mp3") return pipeline(audio, new FromFirstFrame(), () => undefined);
  // Its converter is one of the renderer's (ConverterSlots), until its ffmpeg has exited.
  let release: () => void;
  try {
    release = await r.converters.take(r.playerId, signal);
  } catch (err) {
    res.destroy();
    throw err;
  }
  return r.deps.announcer.clips.convertLive(audio, format.kind === "pcm" ? format : "arriving", release);
}

/** A live stream that answers nothing this long, or sends nothing this long, is over. */
const HEADERS_MS = 10_000;
const IDLE_MS = 20_000;
/** An announcement over a live cast holds its source (unread) at most this long. */
const MAX_HELD_MS = 10 * 60_000;
