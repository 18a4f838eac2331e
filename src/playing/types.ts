/** Something the family can play, by its title and by its reference. */
export interface CatalogueEntry {
  kind: "card" | "group" | "story" | "stream" | "station" | "podcast" | "item";
  /** What plays it: a card id, a group id, a story id, a stream's name, a library item id. */
  id: string;
  title: string;
  /**
   * Set on a part of something else the family plays (a story's scene audio, its lullaby stream): the
   * title of what it is part of. Voice prefers what a family plays over the parts inside it.
   */
  partOf?: string;
  /**
   * Set on a card this service made to play one of its streams: the stream. Voice offers the stream
   * by its title instead ("Demo stream" and "demo" are one thing; "story-radio-ben" is Ben's story radio).
   */
  streamCard?: string;
  /**
   * Other titles it answers to by voice: a stream called by the card made from it ("The Gruffalo")
   * is also "demo", the name a parent typed, and the title of any other card made from it.
   */
  alsoCalled?: string[];
}

/** Past this many library items (a huge library), the rest are not offered by title: an answer stays quick. */
export const MAX_CHOICES = 5000;
