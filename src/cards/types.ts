import type {CardSource} from "../shared/api/cards.js";

declare module "../core/events.js" {
  interface EventMap {
    /**
     * A card of this service's own was made, adopted from the account, updated (`gone` unset) or
     * forgotten and deleted (`gone`): what is named after it hears so (a stream is called by its
     * card's title, on the shelf select in Home Assistant too).
     */
    "card.changed": {cardId: string; title: string; source: CardSource; gone?: boolean};
  }
}
