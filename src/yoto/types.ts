import type {AccountStatus} from "./account.js";
import type {CloudConnectionState} from "./cloudMqtt.js";
import type {PlayerState} from "./playerModel.js";

/** What the Yoto account and its players tell the rest of the app. */
declare module "../core/events.js" {
  interface EventMap {
    "account.changed": AccountStatus;
    "cloud.stateChanged": {state: CloudConnectionState};
    "player.added": {player: PlayerState};
    /** `changed` lists the top-level fields of `PlayerState` that differ from `previous`. */
    "player.changed": {player: PlayerState; previous: PlayerState; changed: string[]};
    "player.removed": {id: string; name: string};
  }
}
