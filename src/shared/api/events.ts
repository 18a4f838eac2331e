/**
 * What `GET /api/events` sends, name → `data` payload. The panel reads this map, and the route
 * checks that what the bus carries is what it says. `player.changed` drops `previous`: the panel
 * only draws the present.
 */

import type {AccountStatus, CloudConnectionState} from "./account.js";
import type {ArchiveChanged, ArchiveRun} from "./archive.js";
import type {BonusRequest, FamilyChanged} from "./family.js";
import type {ServiceStateChanged} from "./health.js";
import type {HistoryChanged} from "./history.js";
import type {LibraryChanged} from "./library.js";
import type {LogEntry} from "./logs.js";
import type {PicturesChanged} from "./pictures.js";
import type {PlayerState} from "./players.js";
import type {QuietChanged} from "./quiet.js";
import type {RulesChanged, RulesTraced} from "./rules.js";
import type {PlayerButton, SceneEntered, StoryCardsChanged, StoryNarrationEvent} from "./stories.js";
import type {
  FeedFollowed,
  FeedProgressEvent,
  FeedRefreshed,
  RadioNowPlaying,
  RadioStateChanged,
  StreamAddingEvent,
  StreamChanged,
  StreamRequest,
} from "./streams.js";

export interface LiveEventMap {
  "player.added": {player: PlayerState};
  /** `changed` lists the top-level fields of the player that changed. */
  "player.changed": {player: PlayerState; changed: string[]};
  "player.removed": {id: string; name: string};
  "player.buttonPressed": PlayerButton;
  "story.sceneEntered": SceneEntered;
  "stream.changed": StreamChanged;
  "stream.addProgress": StreamAddingEvent;
  "stream.deleted": {name: string};
  "stream.requested": StreamRequest;
  "feed.progress": FeedProgressEvent;
  "feed.refreshed": FeedRefreshed;
  "feed.followed": FeedFollowed;
  "library.changed": LibraryChanged;
  "history.changed": HistoryChanged;
  "log.written": LogEntry;
  "quiet.changed": QuietChanged;
  "family.changed": FamilyChanged;
  "family.requested": BonusRequest;
  "rules.changed": RulesChanged;
  "rules.traced": RulesTraced;
  "account.changed": AccountStatus;
  "cloud.stateChanged": {state: CloudConnectionState};
  "service.stateChanged": ServiceStateChanged;
  "archive.progress": ArchiveRun;
  "archive.changed": ArchiveChanged;
  "radio.songChanged": RadioNowPlaying;
  "radio.stateChanged": RadioStateChanged;
  /** What a renderer's queue plays now on a player's relay card: the title shown for it (null: none). */
  "upnp.castTitleChanged": {playerId: string; title: string | null};
  /** A track cast to a player ended before its source did (it stopped sending, closed early, ran too long), and why. */
  "upnp.castTrackEnded": {playerId: string; title: string; why: string};
  "story.narrationProgress": StoryNarrationEvent;
  "story.cardsChanged": StoryCardsChanged;
  "pictures.changed": PicturesChanged;
  /** An assistant was made, approved or revoked, or an OAuth client asks a parent: the Assistants view reads again. */
  "assistants.changed": {id?: string};
}

export type LiveEventName = keyof LiveEventMap;
