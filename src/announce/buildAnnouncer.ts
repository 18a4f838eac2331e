import path from "node:path";
import type {Config} from "../config/schema.js";
import {badRequest} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import {requireFfmpeg} from "../core/ffmpeg.js";
import type {Logger} from "../core/logger.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {Library} from "../library/library.js";
import type {PublicLinks} from "../links/publicLinks.js";
import type {Speech} from "../speech/speech.js";
import type {StateStore} from "../store/store.js";
import type {Streams} from "../streams/streams.js";
import type {YotoRest} from "../yoto/rest.js";
import {Announcer} from "./announcer.js";
import type {OwnStart} from "./announcerPlayers.js";
import {Clips} from "./clips.js";
import type {AnnouncerQuiet} from "./inQuiet.js";
import {PendingRestores} from "./pendingRestores.js";
import {RelayCards} from "./relayCards.js";

export interface AnnouncerDeps {
  config: Pick<Config, "upload_max_mb">;
  dataDir: string;
  players: GatedPlayers;
  /**
   * The announcer's own starts (an announcement, the card it puts back): not a start the plan
   * decides. Handed here by the composition root alone; no gate or player method gives it.
   */
  ownStart: OwnStart;
  rest: YotoRest;
  links: PublicLinks;
  store: StateStore;
  streams: Streams;
  library: Library;
  bus: EventBus;
  log: Logger;
  /** The one text-to-speech the composition root made (living cards speak with it too). */
  speech: Speech;
  ffmpegPath?: string;
  /** Encodes local speech when installed: it starts in ms, a distribution's ffmpeg in 0.1–0.2 s. */
  lamePath?: string;
  /** Where announcement media may be fetched from (an automation picks the URL). */
  fetchPolicy: FetchPolicy;
  /** Quiet hours, built after the announcer (late-bound). */
  quiet: AnnouncerQuiet;
}

/** The announcer and what it is made of, for the composition root. */
export function buildAnnouncer(deps: AnnouncerDeps): Announcer {
  const {config} = deps;
  const announcer: Announcer = new Announcer({
    players: deps.players,
    ownStart: deps.ownStart,
    restores: (restore) =>
      new PendingRestores({store: deps.store, bus: deps.bus, log: deps.log, players: deps.players, resume: restore}),
    relayCards: new RelayCards({rest: deps.rest, links: deps.links, store: deps.store, log: deps.log}),
    clips: new Clips({
      dir: path.join(deps.dataDir, "announcements"),
      ffmpegPath: () => deps.ffmpegPath ?? requireFfmpeg().path,
      lamePath: deps.lamePath,
      speech: deps.speech,
      itemFile: (ref) => {
        const ids = deps.streams.resolveRefs([ref], false);
        if (ids.length !== 1)
          throw badRequest(`'${ref}' names ${ids.length} library items; announce one (its id or path)`, "bad_item");
        const entry = deps.library.resolve(ids[0] as string);
        return {file: entry.absPath, title: entry.item.title, seconds: entry.item.duration};
      },
      media: {maxBytes: config.upload_max_mb * 1024 * 1024, timeoutMs: 60_000, policy: deps.fetchPolicy},
    }),
    bus: deps.bus,
    log: deps.log,
    quiet: deps.quiet,
  });
  return announcer;
}
