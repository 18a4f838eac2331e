import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {catalogue} from "../../../src/playing/catalogue.js";
import type {Scene, Story} from "../../../src/stories/model/story.js";

const scene = (id: string, audio: Scene["audio"]) => ({id, title: id, audio, exits: {}}) as Scene;

/** The demo's Sleepy Dragon, as its scenes play: files, a narrated scene, and its lullaby stream. */
const DRAGON = {
  id: "sleepy_dragon",
  title: "The Sleepy Dragon",
  scenes: [
    scene("hill", {items: ["story/hill.mp3"]}),
    scene("lullaby", {stream: "dragon_lullaby"}),
    scene("home", {say: "And so you walked home under the stars."}),
    // A scene that plays a child's story radio does not make it the story's.
    scene("radio", {stream: "story-radio-mia"}),
  ],
} as unknown as Story;
const MOON = {
  id: "moon",
  title: "The Moon Fox",
  scenes: [scene("garden", {items: ["moon/*.mp3"]})],
} as unknown as Story;

/** Library ids of the references, and the narrated scene's item: what Stories.sceneAudio answers. */
function sceneAudio(story: Story, s: Scene) {
  const audio = s.audio;
  if ("stream" in audio) return {stream: audio.stream};
  if ("say" in audio) return story.id === "sleepy_dragon" ? {items: ["narr-home"]} : {silence: "not made yet"};
  if (audio.items[0] === "moon/*.mp3") throw new Error("'moon/*.mp3' matches nothing");
  return {items: audio.items.map((ref) => (ref === "story/hill.mp3" ? "lib-hill" : ref))};
}

function playables(withScenes = true) {
  const names = ["dragon_lullaby", "story-radio-mia", "bedtime-songs", "tone-fm"];
  const items = [
    {id: "lib-hill", title: "hill"},
    {id: "narr-home", title: "Home under the stars"},
    {id: "lib-gruffalo", title: "The Gruffalo"},
  ];
  return catalogue({
    players: {familyCards: async () => [], command: async () => undefined, groups: {list: async () => []}} as never,
    streams: {list: () => names.map((name) => ({name, radio: name === "tone-fm" ? {url: "http://x"} : null})) as never},
    feeds: {has: () => false, view: () => ({title: null}) as never},
    stories: {list: () => [DRAGON, MOON], play: async () => 0, ...(withScenes ? {sceneAudio} : {})} as never,
    library: {list: () => ({items}) as never},
    icons: {list: async () => ({public: [], user: []})},
    cards: {playStream: async () => undefined as never},
    announcer: {announce: async () => undefined as never, isRelayCard: () => false},
    log: new Logger({level: "error", sink: () => undefined}),
  });
}

describe("the catalogue's parts", () => {
  it("marks a story's own streams and scene audio as parts of it, and nothing else", async () => {
    expect(await playables().choices()).toEqual([
      {kind: "story", id: "sleepy_dragon", title: "The Sleepy Dragon"},
      {kind: "story", id: "moon", title: "The Moon Fox"},
      {kind: "stream", id: "dragon_lullaby", title: "Dragon lullaby", partOf: "The Sleepy Dragon"},
      {kind: "stream", id: "story-radio-mia", title: "Story radio mia"},
      {kind: "stream", id: "bedtime-songs", title: "Bedtime songs"},
      {kind: "station", id: "tone-fm", title: "Tone fm"},
      {kind: "item", id: "lib-hill", title: "hill", partOf: "The Sleepy Dragon"},
      {kind: "item", id: "narr-home", title: "Home under the stars", partOf: "The Sleepy Dragon"},
      {kind: "item", id: "lib-gruffalo", title: "The Gruffalo"},
    ]);
  });

  it("without the stories' scene audio, marks no part", async () => {
    expect((await playables(false).choices()).filter((c) => c.partOf !== undefined)).toEqual([]);
  });
});
