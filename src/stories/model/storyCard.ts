import {type CardBody, cardChapter, cardKey, type Json, linearCard, type TrackSource} from "../../cards/cardJson.js";
import type {StoryOrigin, StoryTrack} from "../../cards/sources.js";
import {scenePath, slotPath} from "../../links/audioPaths.js";
import {SLOT_COUNT, SLOT_IDS, slotAfter} from "../play/streamedCard.js";
import {cardPlan} from "./cardPlan.js";
import type {Scene, Story, StoryMode} from "./story.js";

/**
 * A story as Yoto's interactive cards are built (reference §5.3): one chapter per scene whose one
 * track carries `onLhb`/`onRhb`/`onEnd`, so the player branches by itself with no round trip.
 * `linear` mode is a plain card with the scenes in order (next = right, previous = left).
 */
export function storyCardBody(story: Story, source: (scene: Scene) => TrackSource): CardBody {
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
    return cardChapter(keys.get(scene.id) as string, source(scene), events);
  });
  return interactiveCard(story.title, chapters, metadata);
}

/** A streamed story's card: the four slots this service fills as the story goes (streamedCard.ts). */
function streamedCardBody(story: Story, slot: (index: number) => TrackSource): CardBody {
  const key = (i: number) => cardKey(i, SLOT_COUNT);
  const goto = (i: number) => ({cmd: "goto", params: {chapterKey: key(i), trackKey: key(i)}});
  const chapters = SLOT_IDS.map((_, i) =>
    cardChapter(key(i), slot(i), {
      onLhb: goto(slotAfter(i, "left")),
      onRhb: goto(slotAfter(i, "right")),
      onEnd: goto(slotAfter(i, "end")),
    }),
  );
  const metadata = {
    category: "activities",
    description: story.description ?? "A choose-your-own-adventure story, told as it goes",
    media: {hasStreams: true},
  };
  return interactiveCard(story.title, chapters, metadata);
}

function interactiveCard(title: string, chapters: Json[], metadata: Json): CardBody {
  return {
    title,
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

/**
 * The story's card for Cards to write (in `mode` when given, else the story's own): each scene's
 * track at the path the audio listener serves it, and the origin the card is remembered by.
 */
export function storyCard(
  found: Story,
  mode: StoryMode | undefined,
  track: (scene: StoryTrack) => TrackSource,
  opts: {
    /** The icon chosen for the story's cards, over the story's own (a scene's own icon still wins). */
    icon?: string;
    /** A scene's length and size, when its audio is known now (what the Yoto app shows). */
    measure?: (scene: Scene) => {duration?: number; fileSize?: number};
  } = {},
): {body: CardBody; origin: StoryOrigin} {
  const story = mode ? {...found, mode} : found;
  const icon = opts.icon ?? story.icon;
  const made = cardPlan(found, story.mode, opts.icon, (scene) => opts.measure?.(scene).duration);
  const kept = opts.icon === undefined ? {} : {icon: opts.icon};
  if (story.mode === "streamed") {
    // Each slot is titled with the story: what it plays is only known when it is asked for.
    const slots = streamedCardBody(story, (i) => track({title: story.title, path: slotPath(story.id, i), icon}));
    return {
      body: slots,
      origin: {type: "story", story: story.id, mode: "streamed", scenes: [...SLOT_IDS], ...kept, made},
    };
  }
  const body = storyCardBody(story, (scene) =>
    track({
      title: scene.title,
      path: scenePath(story.id, scene.id),
      icon: scene.icon ?? icon,
      ...opts.measure?.(scene),
    }),
  );
  return {
    body,
    origin: {type: "story", story: story.id, mode: story.mode, scenes: story.scenes.map((s) => s.id), ...kept, made},
  };
}
