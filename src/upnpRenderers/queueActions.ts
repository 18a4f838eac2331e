import {BYTES_PER_SECOND, type Clip} from "../announce/clips.js";
import {errorMessage} from "../core/errors.js";
import type {PlayRequest} from "../gate/types.js";
import {actionFailed, invalidArgs, transitionNotAvailable, UpnpError} from "../upnp/soap.js";
import {upnpTime} from "../upnp/times.js";
import {didlText} from "./castNow.js";
import {CastPrefetch} from "./castPrefetch.js";
import {type CastItem, CastQueue, type CastTrack, PLAY_MODES, type PlayMode} from "./castQueue.js";
import {castAudio} from "./castSource.js";
import {playTargetOf} from "./playTarget.js";
import type {Renderer} from "./renderer.js";
import type {Cast} from "./rendererState.js";
import type {StallNews} from "./runStalls.js";
import {declaredDuration} from "./sourceKind.js";

/**
 * What a control point casts as audio (a URL, a library item) plays as a queue (castQueue.ts):
 * SetNextAVTransportURI sets what follows with no gap, SetPlayMode repeats or shuffles it, and
 * Next, Previous and Seek move in it. Cards and this service's streams play natively instead.
 */

/** Quiet hours, bedtime and a used-up budget hold on this path as on every other: 701, and the parents hear of it. */
export function holdParents(r: Renderer, action: string, title = r.cast?.title): void {
  const why = r.deps.mayNotPlay(r.playerId);
  if (!why) return;
  r.deps.refused(r.playerId, `A DLNA ${action} was refused: ${why}`, r.held.asked(action, title, why), why);
  throw transitionNotAvailable(why);
}

/**
 * A cast's audio on the relay card (a queue's run, a live stream). Behind an announcement under
 * way it plays once that ends, and the control point is answered at once: a Next held its answer
 * for the whole announcement, past the time a control point waits. Meanwhile the cast is shown
 * as playing (Music Assistant's queue stops on a STOPPED), and what the speech interrupted (a
 * card) is not put back before it.
 */
export function playBehindAnnouncements(r: Renderer, cast: Cast, clip: Clip, aborted: AbortSignal): Promise<unknown> {
  const {announcer} = r.deps;
  if (!announcer.queued(r.playerId).playing)
    return announcer.playClip(r.playerId, clip, {signal: aborted, start: castStart(r)});
  cast.behind?.abort();
  const behind = new AbortController();
  cast.behind = behind;
  announcer.takeOver(r.playerId);
  if (announcer.speaking(r.playerId)) cast.announcedOver ??= "PLAYING";
  const signal = AbortSignal.any([aborted, behind.signal]);
  announcer
    .playClip(r.playerId, clip, {signal, start: castStart(r)})
    .then(async () => {
      // Paused by its control point while it waited: it starts paused, as it is shown.
      if (r.cast === cast && cast.announcedOver === "PAUSED_PLAYBACK")
        await r.deps.players.command(r.playerId, {command: "pause"}, castStart(r));
    })
    .catch((err) => {
      // Called off by a Stop or another URI: they answered for it.
      if (signal.aborted) return;
      r.deps.log.warning(`'${r.identity.name}': the cast could not go on after the announcement: ${errorMessage(err)}`);
      // Shown as playing while it waited: the control point is told it is not.
      if (r.cast === cast) cast.announcedOver = undefined;
      r.changed();
    })
    .finally(() => {
      if (cast.behind === behind) cast.behind = undefined;
    });
  return Promise.resolve();
}

/** How a cast's start is asked at the play gate: the journal names what the control point sent. */
export function castStart(r: Renderer, title = r.cast?.title): PlayRequest {
  return {route: "upnp", what: title ? `'${title}'` : "What a control point cast"};
}

/** A cast a queue can play: audio made here, not a card or stream the player plays itself. */
export function queueSource(cast: Cast): CastItem["source"] | undefined {
  const target = cast.target;
  if (target?.kind === "url") return {media: target.url, format: target.format};
  if (target?.kind === "item") return {item: target.id};
  return undefined;
}

/** The cast as a queue's item: its title, and its length as its DIDL-Lite said (res@duration). */
export function castItem(cast: Cast, source: CastItem["source"]): CastItem {
  const declared = declaredDuration(cast.metadata);
  return {
    uri: cast.uri,
    metadata: cast.metadata,
    title: cast.title,
    source,
    ...(declared !== undefined ? {declaredSeconds: declared} : {}),
  };
}

/**
 * A cast from a URL fetched and converting from SetAVTransportURI on (castPrefetch.ts); a library
 * track is read from its file at Play (no wait on a source), and cards, streams and live casts play
 * as they do.
 */
export function prefetchFirst(r: Renderer, cast: Cast): CastPrefetch | undefined {
  if (cast.target?.kind !== "url") return undefined;
  return new CastPrefetch(
    castItem(cast, queueSource(cast) as CastItem["source"]),
    (item, signal) => castAudio(r, item, signal),
    (clip) => r.deps.announcer.clips.discard(clip),
    r.deps.sourceLimits?.prefetchMs,
  );
}

/** Play a cast as a queue: its first track (fetched since SetAVTransportURI, if it was) made and started on the relay card. */
export async function startQueue(r: Renderer, cast: Cast, signal: AbortSignal): Promise<void> {
  const source = queueSource(cast) as CastItem["source"];
  cast.queue?.stop();
  const prefetch = cast.prefetch;
  cast.prefetch = undefined;
  const item = prefetch?.item ?? castItem(cast, source);
  let fetched = prefetch?.claim(item, signal);
  const queue = new CastQueue({
    prepare: (wanted, aborted) => {
      // The first track's audio, if it is coming already; any other (a next track, one opened again) is made now.
      const coming = wanted === item ? fetched : undefined;
      fetched = undefined;
      return coming ?? castAudio(r, wanted, aborted);
    },
    discard: (clip) => r.deps.announcer.clips.discard(clip),
    play: (clip, aborted) => playBehindAnnouncements(r, cast, clip, aborted),
    mode: () => r.playMode,
    // Quiet hours, bedtime or the day's listening used up: the track playing ends, nothing follows.
    mayGoOn: () => r.deps.mayNotPlay(r.playerId) === undefined,
    changed: () => r.changed(),
    ended: (title, why) => r.trackCut(title, why),
    announcedOver: () => {
      cast.announcedOver = r.player().playback.status === "paused" ? "PAUSED_PLAYBACK" : "PLAYING";
    },
    shownPaused: () => cast.announcedOver === "PAUSED_PLAYBACK",
    abandoned: (title, why) => r.castEnded(title, why),
    stalled: (title, news) => r.deps.log.warning(stallText(r.identity.name, title, news)),
    log: r.deps.log,
  });
  cast.queue = queue;
  await queue.start(item, signal);
}

/** A stall the player heard, in the log's words: once when it is heard, once when audio comes again. */
export function stallText(renderer: string, title: string, news: StallNews & {position: number}): string {
  if (news.kind === "began")
    return `'${renderer}': '${title}' went silent at ${upnpTime(news.position)}: its source has sent nothing more and the player has played all it had`;
  return `'${renderer}': '${title}' plays again at ${upnpTime(news.position)} after ${news.seconds.toFixed(1)} s of silence (its source stalled)`;
}

export const QUEUE_ACTIONS = {
  /** What follows the track playing, with no gap (Music Assistant's queue); "" clears it. */
  async SetNextAVTransportURI(
    r: Renderer,
    args: Record<string, string>,
    from?: string,
  ): Promise<Record<string, string>> {
    const uri = (args.NextURI ?? "").trim();
    const queue = r.cast?.queue;
    if (uri === "") {
      queue?.setNext(undefined);
      return {};
    }
    // What was sent is judged first: a refusal says what was wrong with it, whatever plays.
    const metadata = args.NextURIMetaData ?? "";
    checkMetadata(metadata, "NextURIMetaData");
    if (!queue || !r.cast?.started)
      throw transitionNotAvailable(
        "Nothing cast plays here to follow: start the first track with SetAVTransportURI and Play, then set the next",
      );
    holdParents(r, "SetNextAVTransportURI", titleOf(metadata, uri));
    const target = await playTargetOf(uri, metadata, r.deps.target, from);
    const next: Cast = {uri, metadata, title: titleOf(metadata, uri), started: false, target};
    const source = queueSource(next);
    if (!source)
      throw new UpnpError(
        714,
        "Only audio (a URL or a library track) can follow what plays: a card or a stream plays on its own with SetAVTransportURI",
      );
    queue.setNext(castItem(next, source));
    return {};
  },

  async SetPlayMode(r: Renderer, args: Record<string, string>): Promise<Record<string, string>> {
    const mode = (args.NewPlayMode ?? "").trim().toUpperCase();
    if (!(PLAY_MODES as readonly string[]).includes(mode))
      throw new UpnpError(712, `Play mode '${mode.slice(0, 30)}' is not supported: use ${PLAY_MODES.join(", ")}`);
    const {playback} = r.player();
    const native = playback.cardId !== null && !r.cast?.queue && !r.deps.announcer.isRelayCard(playback.cardId);
    if (native && mode !== "NORMAL")
      throw new UpnpError(
        712,
        `A card plays on ${r.identity.name} in its own order: repeat and shuffle are for what is cast to it (a URL, a library track)`,
      );
    r.playMode = mode as PlayMode;
    r.cast?.queue?.modeChanged();
    r.changed();
    return {};
  },
};

/** How long Next waits for the track set to follow to be made. */
const NEXT_WAIT_MS = 15_000;

/** Next on a queue: the track set to follow, at once. */
export async function queueNext(r: Renderer, queue: CastQueue): Promise<void> {
  const current = queue.current()?.track;
  // A next track still being made is waited for a while: Next right after SetNextAVTransportURI plays it.
  if (!laterInRun(queue)) await queue.nextMade(NEXT_WAIT_MS);
  // Already sent on after this one, else what the next track set or the play mode gives.
  const next = laterInRun(queue) ?? (current ? queue.nextFor(current) : queue.takeNext());
  if (!next) {
    if (queue.making) throw transitionNotAvailable("The next track is still being fetched: try again in a moment");
    throw transitionNotAvailable("There is no next track: set one with SetNextAVTransportURI");
  }
  await restart(r, queue, next, 0);
}

/** Previous on a queue: the track before, or the start of this one after its first 3 seconds. */
export async function queuePrevious(r: Renderer, queue: CastQueue): Promise<void> {
  const now = queue.current();
  if (!now) throw transitionNotAvailable("Nothing cast plays here");
  const before = now.position > 3 ? undefined : queue.before(now.track);
  await restart(r, queue, before ?? now.track, 0);
}

/**
 * A Seek past what has come of a track still arriving waits for it at most this long (the player
 * silent meanwhile, its position held at the point sought): further on is refused, saying how far
 * the source lets it go now.
 */
export const MAX_SEEK_WAIT_S = 20;

/**
 * Seek on a queue: this track again from there. A track still arriving is sought as far as its
 * source can bring it within MAX_SEEK_WAIT_S: what has come, or what a server that paces at play
 * speed has been able to send since the track was opened, whichever is more, and that wait on top.
 * Music Assistant sends a burst (10 s, 60 s in newer versions) and then 1.1x play speed
 * (`controllers/streams.py`: ffmpeg's `-readrate 1.1 -readrate_initial_burst`), so a seek within
 * that reach gets there in seconds; its stream cannot be asked for a range (`Accept-Ranges: none`).
 */
export async function queueSeek(r: Renderer, queue: CastQueue, seconds: number): Promise<void> {
  const now = queue.current();
  if (!now) throw transitionNotAvailable("Nothing cast plays here");
  const track = now.track;
  // Its length: what was made, else what its DIDL-Lite or STREAMINFO said; unknown is no end.
  const length = track.seconds > 0 ? track.seconds : track.declaredSeconds;
  if (length !== undefined && length > 0 && seconds > length)
    throw new UpnpError(711, `${upnpTime(seconds)} is past the end of the track (${upnpTime(length)})`);
  const reach = seekReach(track);
  if (reach !== undefined && seconds > reach.seconds)
    throw new UpnpError(
      711,
      `${upnpTime(seconds)} has not arrived yet: ${upnpTime(reach.arrived)} of '${track.title}' has come so far and its server sends it at about play speed, so at most ${upnpTime(reach.seconds)} can be reached now; seek there, or further once more has come`,
    );
  await restart(r, queue, track, seconds);
}

/** How far into a track still arriving a Seek can go now (undefined: all of it is made). */
function seekReach(track: CastTrack): {arrived: number; seconds: number} | undefined {
  const live = track.audio.live;
  // Converted faster than it is read (its window is full): what is further on comes as fast as the
  // converter skips there, so it is no wait in silence.
  if (!live || live.done || live.heldBack) return undefined;
  const arrived = live.size / BYTES_PER_SECOND;
  // Held back by its reader (the window is full), the source could have sent more than came.
  const paced = track.openedAt !== undefined ? (Date.now() - track.openedAt) / 1000 : 0;
  return {arrived, seconds: Math.max(arrived, paced) + MAX_SEEK_WAIT_S};
}

/** Play again once a queue played out or was stopped: the track heard last, from its start. */
export function queueRestart(r: Renderer, queue: CastQueue, track: CastTrack): Promise<void> {
  return restart(r, queue, track, 0);
}

function laterInRun(queue: CastQueue) {
  const now = queue.current()?.entry;
  return now ? (queue.run?.entries.find((e) => e.at > now.at)?.track as CastTrack | undefined) : undefined;
}

async function restart(r: Renderer, queue: CastQueue, track: Parameters<CastQueue["playFrom"]>[0], from: number) {
  try {
    await queue.playFrom(track, from, new AbortController().signal);
  } catch (err) {
    if (err instanceof UpnpError) throw err;
    throw actionFailed(`The player could not play it: ${errorMessage(err)}`);
  }
  r.changed();
}

/**
 * DIDL-Lite a control point may send with a URI. Its title, artist and cover fit in a few hundred
 * bytes; the whole of it is sent back (escaped twice) in every LastChange event to every
 * subscriber, so 60 KB became a 600 KB NOTIFY each.
 */
export const MAX_METADATA_BYTES = 8 * 1024;

export function checkMetadata(metadata: string, field: string): void {
  // Kept and sent on to every subscriber, whose parsers (Home Assistant's among them) refuse a
  // DOCTYPE: refused here, as a SOAP body that declares one is.
  if (/<!DOCTYPE|<!ENTITY/i.test(metadata))
    throw new UpnpError(
      714,
      `${field} declares a DOCTYPE or entities, which track metadata never needs: send DIDL-Lite without them`,
    );
  const size = Buffer.byteLength(metadata, "utf8");
  if (size > MAX_METADATA_BYTES)
    throw invalidArgs(
      `${field} is ${Math.ceil(size / 1024)} KB, more than the ${MAX_METADATA_BYTES / 1024} KB a renderer here keeps: send the title, artist and cover only`,
    );
}

/** The DIDL title if the control point sent one, else the URL's last part. */
export function titleOf(metadata: string, uri: string): string {
  const title = didlText(metadata, "dc:title");
  if (title) return title;
  try {
    const last = new URL(uri).pathname.split("/").filter(Boolean).pop();
    return last ? decodeURIComponent(last).slice(0, 100) : uri.slice(0, 100);
  } catch {
    return uri.slice(0, 100);
  }
}
