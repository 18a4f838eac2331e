/** What an interactive card does on a button or at a track's end (reference §5.3). */
export type TrackAction = {cmd: "goto"; params: {chapterKey: string; trackKey: string}} | {cmd: "stop"};

/** Card content as the simulator stores it: the shape of POST /content (reference §2.4). */
export interface SimTrack {
  key: string;
  title: string;
  trackUrl: string;
  type: "audio" | "stream";
  format?: string;
  duration?: number;
  events?: Partial<Record<"onLhb" | "onRhb" | "onEnd", TrackAction>>;
  display?: {icon16x16?: string | null};
  [key: string]: unknown;
}

export interface SimChapter {
  key: string;
  title: string;
  tracks: SimTrack[];
  display?: {icon16x16?: string | null};
  [key: string]: unknown;
}

export interface SimCard {
  cardId: string;
  title: string;
  userId: string;
  content: {
    chapters: SimChapter[];
    playbackType?: "linear" | "interactive";
    config?: Record<string, unknown>;
    [key: string]: unknown;
  };
  metadata?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  [key: string]: unknown;
}

/** Where a card's (chapter, track) sits, and its neighbours in play order. */
export function locate(card: SimCard, chapterKey: string, trackKey: string) {
  const order = card.content.chapters.flatMap((chapter) => chapter.tracks.map((track) => ({chapter, track})));
  const index = order.findIndex((p) => p.chapter.key === chapterKey && p.track.key === trackKey);
  return {order, index};
}
