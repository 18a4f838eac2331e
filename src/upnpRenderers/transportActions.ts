import {parseAnnounceRequest} from "../announce/request.js";
import type {ArchivedTrackAt} from "../archive/audioPaths.js";
import {AppError, errorMessage} from "../core/errors.js";
import {REFUSED_CODE} from "../gate/playGate.js";
import type {AnnounceResumed} from "../shared/api/announce.js";
import {actionFailed, resourceNotFound, transitionNotAvailable, UpnpError} from "../upnp/soap.js";
import {parseUpnpTime, upnpTime} from "../upnp/times.js";
import type {PlayerCommand} from "../yoto/commands.js";
import {startLive} from "./liveCast.js";
import {playTargetOf} from "./playTarget.js";
import {
  castStart,
  checkMetadata,
  holdParents,
  MAX_METADATA_BYTES,
  prefetchFirst,
  QUEUE_ACTIONS,
  queueNext,
  queuePrevious,
  queueRestart,
  queueSeek,
  startQueue,
  titleOf,
} from "./queueActions.js";
import type {Renderer} from "./renderer.js";
import {positionVariables} from "./rendererState.js";

export type Out = Record<string, string>;

/** A Stop this recent that interrupted a card is taken back by an announcement (HA stops, then speaks). */
const STOP_REMEMBERED_MS = 30_000;

export {MAX_METADATA_BYTES};

/** AVTransport's actions on one renderer. Each answers once the player was asked, or with a UPnP error. */
export const TRANSPORT_ACTIONS: Record<
  string,
  (r: Renderer, args: Record<string, string>, from?: string) => Promise<Out>
> = {
  async SetAVTransportURI(r, args, from) {
    const uri = (args.CurrentURI ?? "").trim();
    if (uri === "") {
      r.cast?.starting?.abort();
      r.cast?.behind?.abort();
      r.cast?.prefetch?.drop();
      r.cast?.queue?.stop();
      r.cast?.live?.stop();
      r.cast = undefined;
      r.changed();
      return {};
    }
    const metadata = args.CurrentURIMetaData ?? "";
    checkMetadata(metadata, "CurrentURIMetaData");
    holdParents(r, "SetAVTransportURI", titleOf(metadata, uri));
    const target = await playTargetOf(uri, metadata, r.deps.target, from);
    const setOn = r.player().playback.cardId;
    // The new URI replaces one still starting (or waiting for an announcement): that one does not play after all.
    r.cast?.starting?.abort();
    r.cast?.behind?.abort();
    r.cast?.prefetch?.drop();
    r.cast?.queue?.stop();
    r.cast?.live?.stop();
    r.cast = {uri, metadata, title: titleOf(metadata, uri), started: false, target, setOn};
    // Its audio is fetched from now on (castPrefetch.ts): Play finds it coming.
    r.cast.prefetch = prefetchFirst(r, r.cast);
    r.changed();
    return {};
  },

  async Play(r, args) {
    if ((args.Speed ?? "1") !== "1")
      throw new UpnpError(717, `Speed ${args.Speed} is not supported: a Yoto plays at 1`);
    holdParents(r, "Play");
    const cast = r.cast;
    const {playback} = r.player();
    // A cast not started yet, or one that played out (or was stopped), plays from its start again.
    const castOver = cast?.started && playback.status !== "playing" && playback.status !== "paused";
    if (cast && (!cast.started || castOver)) {
      // A second Play while the first is still starting it: one start is enough.
      if (cast.starting) return {};
      // A queue stopped or played out plays the track it was on, from its start.
      const again = cast.queue?.current()?.track;
      if (cast.queue && again) {
        // Starting: the relay card showing up meanwhile is this, not a card put in by hand.
        const starting = new AbortController();
        cast.starting = starting;
        try {
          await queueRestart(r, cast.queue, again);
        } finally {
          if (cast.starting === starting) cast.starting = undefined;
        }
        r.castStarted(cast);
      } else await startCast(r);
      return {};
    }
    // Paused during an announcement (its speech plays on): the cast comes back playing after all.
    if (cast?.announcedOver && r.deps.announcer.speaking(r.playerId)) {
      cast.announcedOver = "PLAYING";
      r.changed();
      return {};
    }
    if (playback.status === "playing") return {};
    if (!playback.cardId && !playback.lastCardId && !cast)
      throw transitionNotAvailable("Nothing to play: set a URI first (SetAVTransportURI)");
    await command(r, {command: "resume"});
    return {};
  },

  async Pause(r) {
    // An announcement over the cast: the cast comes back paused, and the speech is heard whole.
    if (r.cast?.announcedOver) {
      r.cast.announcedOver = "PAUSED_PLAYBACK";
      if (r.deps.announcer.speaking(r.playerId)) {
        r.changed();
        return {};
      }
    }
    // Already paused or stopped: nothing to do (a bedtime automation pauses every player, twice).
    const {status} = r.player().playback;
    if (status !== "playing" && status !== "loading") return {};
    await command(r, {command: "pause"});
    return {};
  },

  async Stop(r) {
    const player = r.player();
    const {playback} = player;
    if (
      playback.cardId &&
      !r.deps.announcer.isRelayCard(playback.cardId) &&
      (playback.status === "playing" || playback.status === "paused")
    )
      r.stopped = {at: interruptedAt(player.playback), time: Date.now()};
    if (r.cast) {
      // A Play still starting (its audio being fetched, or waiting for an announcement) is called
      // off, not left to start after this.
      r.cast.starting?.abort();
      r.cast.behind?.abort();
      r.cast.prefetch?.drop();
      r.cast.started = false;
      r.cast.announcedOver = undefined;
      r.cast.queue?.halt();
      r.cast.live?.stop();
    }
    // An announcement is heard whole: the Stop ends the cast (STOPPED at once), not the speech.
    // Music Assistant's skip, seek and previous and Home Assistant's play_media all begin with a
    // Stop; it cut "Dinner is ready. Please wash your hands and co—".
    const speaking = r.deps.announcer.speaking(r.playerId);
    if (playback.status !== "stopped" && !speaking) await command(r, {command: "stop"});
    r.changed();
    return {};
  },

  async Seek(r, args) {
    holdWhileNotPlaying(r, "Seek");
    if (args.Unit !== "REL_TIME") throw new UpnpError(710, `Seek mode ${args.Unit} is not supported: use REL_TIME`);
    const seconds = parseUpnpTime(args.Target ?? "");
    if (seconds === undefined)
      throw new UpnpError(711, `'${(args.Target ?? "").slice(0, 40)}' is not a time: send H:MM:SS, such as 0:45:00`);
    if (r.cast?.started && r.cast.queue) {
      await queueSeek(r, r.cast.queue, seconds);
      return {};
    }
    // An unknown length (0 from a stream track) is no end to seek past.
    const length = r.trackSeconds();
    if (length !== undefined && seconds > length)
      throw new UpnpError(711, `${upnpTime(seconds)} is past the end of the track (${upnpTime(length)})`);
    await command(r, {command: "seek", seconds});
    return {};
  },

  async Next(r) {
    holdWhileNotPlaying(r, "Next");
    if (r.cast?.started && r.cast.queue) {
      await queueNext(r, r.cast.queue);
      return {};
    }
    tracksOnly(r);
    await command(r, {command: "next"});
    return {};
  },

  async Previous(r) {
    holdWhileNotPlaying(r, "Previous");
    if (r.cast?.started && r.cast.queue) {
      await queuePrevious(r, r.cast.queue);
      return {};
    }
    tracksOnly(r);
    await command(r, {command: "previous"});
    return {};
  },

  async GetTransportInfo(r) {
    const v = r.variables("AVTransport");
    return {
      CurrentTransportState: v.TransportState ?? "",
      CurrentTransportStatus: v.TransportStatus ?? "",
      CurrentSpeed: "1",
    };
  },

  async GetPositionInfo(r) {
    const v = r.variables("AVTransport");
    const p = positionVariables(r.inputs());
    return {
      Track: v.CurrentTrack ?? "0",
      TrackDuration: v.CurrentTrackDuration ?? "",
      TrackMetaData: v.CurrentTrackMetaData ?? "",
      TrackURI: v.CurrentTrackURI ?? "",
      RelTime: p.RelativeTimePosition ?? "",
      AbsTime: p.AbsoluteTimePosition ?? "",
      RelCount: p.RelativeCounterPosition ?? "",
      AbsCount: p.AbsoluteCounterPosition ?? "",
    };
  },

  async GetMediaInfo(r) {
    const v = r.variables("AVTransport");
    return {
      NrTracks: v.NumberOfTracks ?? "0",
      MediaDuration: v.CurrentMediaDuration ?? "",
      CurrentURI: v.AVTransportURI ?? "",
      CurrentURIMetaData: v.AVTransportURIMetaData ?? "",
      NextURI: v.NextAVTransportURI ?? "",
      NextURIMetaData: v.NextAVTransportURIMetaData ?? "",
      PlayMedium: v.PlaybackStorageMedium ?? "NONE",
      RecordMedium: "NOT_IMPLEMENTED",
      WriteStatus: "NOT_IMPLEMENTED",
    };
  },

  async GetDeviceCapabilities() {
    return {PlayMedia: "NETWORK", RecMedia: "NOT_IMPLEMENTED", RecQualityModes: "NOT_IMPLEMENTED"};
  },

  async GetTransportSettings(r) {
    return {PlayMode: r.variables("AVTransport").CurrentPlayMode ?? "NORMAL", RecQualityMode: "NOT_IMPLEMENTED"};
  },

  ...QUEUE_ACTIONS,

  async GetCurrentTransportActions(r) {
    return {Actions: r.variables("AVTransport").CurrentTransportActions ?? ""};
  },
};

/** Seek, Next and Previous start a paused card: in quiet hours they are held as Play is. */
function holdWhileNotPlaying(r: Renderer, action: string): void {
  if (r.player().playback.status !== "playing") holdParents(r, action);
}

function tracksOnly(r: Renderer): void {
  // A card started from the library plays natively: its own next and previous.
  if (r.cast?.started && r.cast.target?.kind !== "card")
    throw transitionNotAvailable("What was cast here is one track: there is no next or previous");
  if (!r.player().playback.cardId) throw transitionNotAvailable("No card is playing");
  const card = r.inputs().card;
  if (card?.tracks === 1)
    throw transitionNotAvailable(
      `${card.title ? `'${card.title}'` : "The card"} has one track: there is no next or previous`,
    );
}

/**
 * A track of the library's Cards sent to a Yoto: the family's card itself at that chapter and
 * track, as if it were inserted (its own icons, its own next and previous), not a relayed copy.
 */
async function playArchivedCard(r: Renderer, at: ArchivedTrackAt): Promise<void> {
  const keys = r.deps.archivedTrack?.(at);
  if (!keys) throw resourceNotFound(`Card '${at.cardId}' has no archived chapter ${at.chapter} track ${at.track}`);
  if (keys.deletedAt)
    throw resourceNotFound(
      `'${keys.title}' was deleted from the Yoto account (${keys.deletedAt.slice(0, 10)}), so a Yoto cannot play it: restore it from the archive first`,
    );
  await r.deps.players.command(
    r.playerId,
    {command: "play_card", cardId: at.cardId, chapter: keys.chapterKey, track: keys.trackKey},
    castStart(r, keys.title),
  );
}

async function startCast(r: Renderer): Promise<void> {
  const cast = r.cast;
  if (!cast?.target) throw transitionNotAvailable("Nothing to play: set a URI first (SetAVTransportURI)");
  const {announcer} = r.deps;
  const id = r.playerId;
  const target = cast.target;
  const starting = new AbortController();
  cast.starting = starting;
  try {
    switch (target.kind) {
      case "stream":
        await r.deps.playStream(id, target.stream, castStart(r));
        break;
      case "url":
      case "item":
        await startQueue(r, cast, starting.signal);
        break;
      case "live":
        await startLive(r, cast, target.url, target.format, starting.signal);
        break;
      case "card":
        await playArchivedCard(r, target);
        break;
      case "announce": {
        // Home Assistant stops what plays before it speaks: the card that Stop interrupted comes back.
        const stopped = r.stopped && Date.now() - r.stopped.time < STOP_REMEMBERED_MS ? r.stopped.at : undefined;
        r.stopped = undefined;
        const request = parseAnnounceRequest({media: target.url, in_quiet: "skip"});
        void background(
          r,
          announcer.announce(id, request, {}).then(async (outcome) => {
            if (outcome.result === "played" && !outcome.resumed && stopped)
              await announcer.putBackStopped(id, stopped, {route: "upnp"});
            return outcome;
          }),
        );
        break;
      }
    }
  } catch (err) {
    // Called off by a Stop or another URI: this Play was answered by them.
    if (starting.signal.aborted) return;
    if (err instanceof UpnpError) throw err;
    throw actionFailed(`The player could not play it: ${errorMessage(err)}`);
  } finally {
    if (cast.starting === starting) cast.starting = undefined;
  }
  if (starting.signal.aborted || r.cast !== cast) {
    await calledOffLate(r);
    return;
  }
  r.castStarted(cast);
}

/**
 * A Stop or another URI came while a Play was starting, too late to call it off (it reached the
 * player): it is stopped, unless a newer Play is starting, which takes the player over anyway.
 */
async function calledOffLate(r: Renderer): Promise<void> {
  if (r.cast?.starting) return;
  try {
    await r.deps.players.command(r.playerId, {command: "stop"});
  } catch (err) {
    r.deps.log.warning(`'${r.identity.name}': a cast called off did not stop: ${errorMessage(err)}`);
  }
  r.changed();
}

/** An announcement runs to its end after Play answered; how it ended goes to the log. */
async function background(r: Renderer, run: Promise<unknown>): Promise<void> {
  try {
    await run;
  } catch (err) {
    r.deps.log.warning(`'${r.identity.name}': what a control point cast did not play: ${errorMessage(err)}`);
  }
  r.changed();
}

async function command(r: Renderer, cmd: PlayerCommand): Promise<void> {
  try {
    await r.deps.players.command(r.playerId, cmd, castStart(r));
  } catch (err) {
    // Held by the plan (the gate's refusal, in the journal): 701, as a held Play is.
    if (err instanceof AppError && err.code === REFUSED_CODE) throw transitionNotAvailable(err.message);
    throw actionFailed(`${r.identity.name} did not take '${cmd.command}': ${errorMessage(err)}`);
  }
  r.changed();
}

function interruptedAt(playback: {
  cardId: string | null;
  chapterKey?: string;
  trackKey?: string;
  position?: number;
  status: string;
}): AnnounceResumed {
  return {
    cardId: playback.cardId as string,
    ...(playback.chapterKey !== undefined ? {chapterKey: playback.chapterKey} : {}),
    ...(playback.trackKey !== undefined ? {trackKey: playback.trackKey} : {}),
    ...(playback.position !== undefined ? {position: playback.position} : {}),
    paused: playback.status === "paused",
  } as AnnounceResumed;
}
