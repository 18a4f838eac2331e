import type {Scene, Story} from "../stories/story.js";
import type {Card} from "../yoto/rest.js";

/** One track of a card we build: always a stream our public listener serves. */
export interface TrackSource {
  title: string;
  url: string;
  format?: string;
  /** Seconds, when known (library items); streams report 0, as Yoto's docs do. */
  duration?: number;
  fileSize?: number;
  channels?: "mono" | "stereo";
  icon?: string;
}

type CardBody = Omit<Card, "cardId"> & {cardId?: string};
type Json = Record<string, unknown>;

/** Chapter and track keys: zero-padded, and players only match them exactly ("02", not "2"). */
export function cardKey(index: number, count: number): string {
  return String(index + 1).padStart(Math.max(2, String(count).length), "0");
}

function track(key: string, source: TrackSource, events?: Json): Json {
  return {
    key,
    title: source.title,
    trackUrl: source.url,
    type: "stream",
    format: source.format ?? "mp3",
    duration: source.duration ?? 0,
    fileSize: source.fileSize ?? 0,
    ...(source.channels ? {channels: source.channels} : {}),
    overlayLabel: String(Number(key)),
    isNew: true,
    display: {icon16x16: source.icon ?? null},
    ...(events ? {events} : {}),
  };
}

function chapter(key: string, source: TrackSource, events?: Json): Json {
  return {
    key,
    title: source.title,
    overlayLabel: String(Number(key)),
    display: {icon16x16: source.icon ?? null},
    duration: source.duration ?? 0,
    fileSize: source.fileSize ?? 0,
    hasStreams: true,
    tracks: [track(key, source, events)],
  };
}

function linearContent(chapters: Json[]): Json {
  return {
    playbackType: "linear",
    activity: "yoto_Player",
    version: "1",
    config: {onlineOnly: true, autoadvance: "next"},
    editSettings: {transcodeAudioUploads: true, editKeys: false},
    chapters,
  };
}

/** A chapter per source: a stream card (one source) or a card of library items. */
export function linearCard(title: string, sources: TrackSource[], metadata: Json = {}): CardBody {
  return {
    title,
    content: linearContent(sources.map((s, i) => chapter(cardKey(i, sources.length), s))),
    metadata: {category: "none", media: {hasStreams: true}, ...metadata},
  };
}

/**
 * A story as Yoto's interactive cards are built (reference §5.3): one chapter per scene whose one
 * track carries `onLhb`/`onRhb`/`onEnd`, so the player branches by itself with no round trip.
 * `linear` mode is a plain card with the scenes in order (next = right, previous = left).
 */
export function storyCard(story: Story, source: (scene: Scene) => TrackSource): CardBody {
  const count = story.scenes.length;
  const keys = new Map(story.scenes.map((s, i) => [s.id, cardKey(i, count)]));
  const target = (to: string | undefined) => {
    if (to === undefined) return undefined;
    const key = keys.get(to);
    return key ? {cmd: "goto", params: {chapterKey: key, trackKey: key}} : {cmd: "stop"};
  };
  const metadata = {
    category: "activities",
    description: story.description ?? `A choose-your-own-adventure story: ${count} scenes`,
    media: {hasStreams: true},
  };
  if (story.mode === "linear") return linearCard(story.title, story.scenes.map(source), metadata);
  const chapters = story.scenes.map((scene) => {
    const events: Json = {};
    if (scene.exits.left !== undefined) events.onLhb = target(scene.exits.left);
    if (scene.exits.right !== undefined) events.onRhb = target(scene.exits.right);
    events.onEnd = target(scene.exits.end ?? "stop");
    return chapter(keys.get(scene.id) as string, source(scene), events);
  });
  return {
    title: story.title,
    content: {
      playbackType: "interactive",
      activity: "yoto_Player",
      version: "1",
      config: {
        resumeTimeout: 2_592_000,
        disableTrackNav: true,
        disableChapterNav: true,
        autoadvance: "none",
        onlineOnly: true,
      },
      editSettings: {
        interactiveContent: true,
        autoOverlayLabels: "chapters",
        editKeys: false,
        transcodeAudioUploads: true,
      },
      chapters,
    },
    metadata,
  };
}
