/**
 * The admin API's wire types in one place: what each route answers, built from the services' own
 * types. The panel (`ui/src/data/`) imports only this file, so a server change that alters a
 * response is a type error in the panel. Types only: nothing here exists at run time.
 */
// The events each feature declares, for the panel's typecheck, which sees only what this file reaches.

import type {BrokerSummary} from "../bridge/localBroker.js";
import type {OwnCard} from "../cards/cards.js";
import type {ServiceHealth} from "../core/service.js";
import type {FeedOptionsView} from "../feeds/feedConfig.js";
import type {} from "../feeds/types.js";
import type {HealthOverview, PlayerPulse} from "../health/types.js";
import type {HistoryChanged, HistoryDay, HistorySessions, HistorySummary, ListeningSession} from "../history/types.js";
import type {IconEntry} from "../icons/icons.js";
import type {LibraryItem, ScanStats} from "../library/types.js";
import type {LogEntry, LogsPage} from "../logs/types.js";
import type {QuietChanged, QuietEnded, QuietHoursList, QuietView} from "../parents/types.js";
import type {RuleStatus} from "../rules/engine.js";
import type {LoadError} from "../rules/loader.js";
import type {Trace} from "../rules/runner.js";
import type {StorySession} from "../stories/tracker.js";
import type {} from "../stories/types.js";
import type {PlayMode} from "../streams/model.js";
import type {StreamRequest} from "../streams/types.js";
import type {AccountStatus} from "../yoto/account.js";
import type {CloudConnectionState} from "../yoto/cloudMqtt.js";
import type {CommandName, PlayerCommand} from "../yoto/commands.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {} from "../yoto/types.js";
import type {AuditEntry} from "./audit.js";
import type {StoryView} from "./routes/cards.js";
import type {LiveEventMap, LiveEventName} from "./routes/events.js";
import type {HealthReport} from "./routes/health.js";
import type {FeedView, StreamChange, StreamView} from "./routes/streams.js";
import type {VirtualPlayerView} from "./routes/virtualPlayers.js";

export type {
  AccountStatus,
  AuditEntry,
  /** `GET /api/mqtt`: the broker in use, and the embedded one's login for Home Assistant. */
  BrokerSummary,
  CloudConnectionState,
  CommandName,
  FeedView,
  HealthOverview,
  HealthReport,
  HistoryChanged,
  HistoryDay,
  HistorySessions,
  HistorySummary,
  IconEntry,
  LibraryItem,
  ListeningSession,
  LiveEventMap,
  LiveEventName,
  LoadError,
  LogEntry,
  LogsPage,
  OwnCard,
  PlayerCommand,
  PlayerPulse,
  PlayerState,
  PlayMode,
  /** `quiet.changed` on the live events. */
  QuietChanged,
  /** `DELETE /api/players/<player>/quiet`: what ending quiet hours did. */
  QuietEnded,
  /** `GET /api/quiet-hours`. */
  QuietHoursList,
  /** One player in quiet hours (also what `POST /api/players/<player>/quiet` answers). */
  QuietView,
  RuleStatus,
  ScanStats,
  ServiceHealth,
  StorySession,
  StoryView,
  StreamChange,
  StreamRequest,
  StreamView,
  Trace,
  VirtualPlayerView,
};

/** Every error response. `code` is stable; `error` is a sentence for people. */
export interface ApiErrorBody {
  error: string;
  code: string;
}

/** A library item with the signed path the audio listener serves it at (`url` only with a public URL). */
export type LibraryItemView = LibraryItem & {url?: string; signedPath: string};

export interface LibraryPage {
  items: LibraryItem[];
  total: number;
  limit: number;
  offset: number;
}

export interface AccountView extends AccountStatus {
  cloud: CloudConnectionState;
  clientIdConfigured: boolean;
}

export interface LinkStart {
  authorizeUrl: string;
  redirectUri: string;
}

export interface PlayersList {
  players: PlayerState[];
  count: number;
  cloud: CloudConnectionState;
}

/** A card on the family's Yoto account, as the pickers list it. */
export interface FamilyCard {
  cardId: string;
  title: string;
  /** A Make Your Own card of the family's, rather than a shop or physical card in their library. */
  madeByFamily: boolean;
}

/** `GET /api/account/cards/<cardId>`: what the bridge shows of a card; both absent when Yoto does not say. */
export interface CardArtwork {
  cardId: string;
  title?: string;
  /** The cover image's address on Yoto's servers. */
  image?: string;
}

export interface RulesList {
  rules: RuleStatus[];
  errors: LoadError[];
  timeZone: string;
}

export interface RulesReload {
  loaded: number;
  failed: number;
  errors: LoadError[];
}

/** `PUT /api/streams/<name>` `{"feed": …}`: the feed's address, the rest as `feed` shows them, each optional. */
export type FeedFollow = Pick<FeedOptionsView, "url"> & Partial<Omit<FeedOptionsView, "url">>;

export type CardCreate =
  | {from: "stream"; stream: string; title?: string; icon?: string; cardId?: string}
  | {from: "items"; items: string[]; title?: string; icon?: string; cardId?: string}
  | {from: "story"; story: string; mode?: "interactive" | "linear"; title?: string; icon?: string; cardId?: string};

/**
 * `POST /api/players/<player>/announce`: exactly one of `message` (text to speak), `media` (an
 * http(s) URL) and `item` (a library id), and how to play it.
 */
export type AnnounceBody = ({message: string} | {media: string} | {item: string}) & {
  /** Percent 0–100 while announcing; the player's own volume is put back afterwards. */
  volume?: number;
  /** Start what was playing again afterwards (default true). */
  resume?: boolean;
  only_if_idle?: boolean;
  chime?: boolean;
  language?: string;
  engine?: string;
};

/**
 * Where an announcement interrupted a player, and where it was put back. Written out rather than
 * imported from `announce/announcer.ts`: its imports reach `announce/download.ts`, whose `for await`
 * over a fetch body does not type-check under the panel's DOM typings.
 * `test/unit/apiAnnounceTypes.test.ts` keeps the two identical.
 */
export interface AnnounceResumed {
  cardId: string;
  /** A paused card goes back paused, at the same place. */
  paused?: boolean;
  chapterKey?: string;
  trackKey?: string;
  /** Seconds into the track. */
  position?: number;
}

/** `POST /api/players/<player>/announce`: how it went, once the announcement is over. */
export interface AnnounceOutcome {
  player: string;
  playerId: string;
  result: "played" | "skipped";
  /** Why it was skipped, or how it ended, in words. */
  detail: string;
  seconds?: number;
  audio?: string;
  /** What was started again afterwards (null: nothing was playing, or `resume: false`). */
  resumed?: AnnounceResumed | null;
}

export interface IconLists {
  public: IconEntry[];
  user: IconEntry[];
}
