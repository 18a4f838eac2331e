/** The home media servers: `GET /api/sources` and what browsing them answers. */

/** A media server as `GET /api/sources` lists it. */
export interface ServerView {
  /** Short and stable (from its UDN); empty while a given server has not answered yet. */
  id: string;
  name: string;
  state: "ok" | "not_answering";
  error: string | null;
  /** Its description document's address. */
  url: string;
  /** Whether it can search titles (`?q=`). */
  search: boolean;
  /** Found by SSDP, rather than given. */
  discovered: boolean;
}

/** One entry of a server's folder or search: `ref` is what a queue or a card takes. */
export interface SourceItem {
  id: string;
  title: string;
  kind: "folder" | "track";
  /** Seconds, when the server says. */
  duration: number | null;
  ref: string;
  artist: string | null;
  album: string | null;
  cover: string | null;
}

/** `GET /api/sources/<id>/browse`. */
export interface SourcePage {
  items: SourceItem[];
  total: number;
}
