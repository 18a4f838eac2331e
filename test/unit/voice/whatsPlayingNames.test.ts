import {describe, expect, it} from "vitest";
import type {OwnCard} from "../../../src/cards/cards.js";
import {Logger} from "../../../src/core/logger.js";
import type {ChildView} from "../../../src/family/types.js";
import {PlayGate} from "../../../src/gate/playGate.js";
import {catalogue} from "../../../src/playing/catalogue.js";
import {Voice} from "../../../src/voice/voice.js";
import {Admissions} from "../../../src/yoto/admission.js";
import {newPlayer, type PlayerState} from "../../../src/yoto/playerModel.js";

const RELAY = "relay-card";
const quiet = () => new Logger({level: "error", sink: () => undefined});

/**
 * "What's playing" over the real catalogue and voice service: Mia with the Bedroom Mini, and the
 * cards this service made (a stream's, a story's, the relay card). What plays is set per case.
 */
async function family() {
  const player: PlayerState = {
    ...newPlayer({deviceId: "p1", name: "Bedroom Mini", deviceFamily: "v3", deviceType: "v3", online: true}),
  };
  const own = new Map<string, OwnCard>();
  const made = (cardId: string, title: string, source: OwnCard["source"]) =>
    own.set(cardId, {cardId, title, source, createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z"});
  made("card-radio-mia", "story-radio-mia", {type: "stream", stream: "story-radio-mia"});
  made("card-radio-zoe", "story-radio-zoe", {type: "stream", stream: "story-radio-zoe"});
  made("card-tone", "tone-fm", {type: "stream", stream: "tone-fm"});
  made("card-songs", "Evening Songs", {type: "stream", stream: "evening-songs"});
  made("card-tales", "tales", {type: "feed", stream: "tales"});
  made("card-dragon", "The Sleepy Dragon", {type: "story", story: "sleepy_dragon", mode: "interactive", scenes: []});
  const state = {cast: undefined as string | undefined, summaries: new Map<string, string>()};
  const playables = catalogue({
    players: {familyCards: async () => [], command: async () => undefined, groups: {list: async () => []}} as never,
    streams: {list: () => []},
    feeds: {has: (name) => name === "tales", view: () => ({title: "Tales for Tiny Ears"}) as never},
    stories: {
      list: () => [{id: "sleepy_dragon", title: "The Sleepy Dragon", scenes: []}] as never,
      play: async () => undefined as never,
      cardUpkeep: {cardIcon: () => undefined},
    },
    icons: {list: async () => ({public: [], user: []})},
    library: {list: () => ({items: []}) as never},
    cards: {playStream: async () => undefined as never, find: (id) => own.get(id)},
    announcer: {announce: async () => undefined as never, isRelayCard: (id) => id === RELAY},
    castTitle: () => state.cast,
    log: quiet(),
  });
  const mia = {name: "Mia", players: [{id: "p1", name: "Bedroom Mini", shared: false}]} as unknown as ChildView;
  const voice = new Voice({
    players: {
      list: () => [player],
      command: async () => null,
      cardSummary: async (id) => (state.summaries.has(id) ? {title: state.summaries.get(id)} : undefined),
      cloud: {state: "connected"},
    },
    family: {
      roster: () => ({children: [mia], listeners: []}),
      view: (name) => (name === mia.name ? mia : undefined),
      askForMore: async () => ({result: "not_quiet"}),
    },
    gate: new PlayGate({
      admissions: new Admissions(),
      refusal: () => undefined,
      held: () => undefined,
      journal: async () => undefined,
      cloudConnected: () => true,
      log: quiet(),
      now: () => 0,
    }),
    listening: {todaySeconds: () => 0},
    choices: () => playables.choices(),
    play: (id, choice, admission) => playables.play(id, choice, admission),
    ownTitle: (id, cardId) => playables.ownTitle(id, cardId),
    timeZone: () => "UTC",
    log: quiet(),
  });
  await voice.start();
  /** What Mia's Yoto plays now (the player's own report), then the answer to "what's playing on Mia's Yoto". */
  const ask = async (
    playback: Partial<PlayerState["playback"]> & {cardId: string},
    language = "en",
  ): Promise<string> => {
    player.playback = {
      ...player.playback,
      status: "playing",
      chapterTitle: undefined,
      trackTitle: undefined,
      ...playback,
    };
    return (await voice.answer({trigger: "whats_playing", slots: {who: "Mia"}, language})).speech;
  };
  return {ask, state, stop: () => voice.stop()};
}

describe("what's playing, named as a family names it", () => {
  it("says a child's story radio as the child's, in each language, and never its stream's name", async () => {
    const {ask, stop} = await family();
    const radio = {cardId: "card-radio-mia", chapterTitle: "story-radio-mia", trackTitle: "story-radio-mia"};
    expect(await ask(radio)).toBe("Mia's Yoto is playing Mia's story radio.");
    expect(await ask(radio, "de")).toBe("Auf Mias Yoto läuft Mias Geschichtenradio.");
    // Another child's (a child no longer in the plan): story radio, still no id.
    expect(await ask({cardId: "card-radio-zoe", chapterTitle: "story-radio-zoe"})).toBe(
      "Mia's Yoto is playing story radio.",
    );
    await stop();
  });

  it("says a station, a stream and a podcast by the titles they are asked for by", async () => {
    const {ask, stop} = await family();
    expect(await ask({cardId: "card-tone", chapterTitle: "tone-fm", trackTitle: "tone-fm"})).toBe(
      "Mia's Yoto is playing “Tone fm”.",
    );
    // A card a parent titled keeps its title.
    expect(await ask({cardId: "card-songs", chapterTitle: "evening-songs"})).toBe(
      "Mia's Yoto is playing “Evening Songs”.",
    );
    // A podcast by its feed's title, with the episode playing.
    expect(await ask({cardId: "card-tales", chapterTitle: "The Owl Who Was Afraid"})).toBe(
      "Mia's Yoto is playing “Tales for Tiny Ears”: “The Owl Who Was Afraid”.",
    );
    expect(await ask({cardId: "card-dragon", chapterTitle: "In the cave", status: "paused"})).toBe(
      "Mia's Yoto is paused on “The Sleepy Dragon”.",
    );
    expect(await ask({cardId: "card-dragon", chapterTitle: "In the cave"})).toBe(
      "Mia's Yoto is playing “The Sleepy Dragon”: “In the cave”.",
    );
    await stop();
  });

  it("says a cast by its track, and the relay card otherwise as an announcement", async () => {
    const {ask, state, stop} = await family();
    state.cast = "Blue Moon";
    expect(await ask({cardId: RELAY, chapterTitle: "Announcement"})).toBe("Mia's Yoto is playing “Blue Moon”.");
    state.cast = undefined;
    expect(await ask({cardId: RELAY, chapterTitle: "Announcement"})).toBe("Mia's Yoto is playing an announcement.");
    expect(await ask({cardId: RELAY, chapterTitle: "Announcement"}, "de")).toBe("Auf Mias Yoto läuft eine Durchsage.");
    await stop();
  });

  it("says something rather than an id when nothing better is known", async () => {
    const {ask, state, stop} = await family();
    expect(await ask({cardId: "3Fx9q"})).toBe("Mia's Yoto is playing something.");
    expect(await ask({cardId: "3Fx9q", chapterTitle: "3Fx9q", trackTitle: "3Fx9q"}, "de")).toBe(
      "Auf Mias Yoto läuft etwas.",
    );
    // A card of the family's own, as its summary titles it, with the chapter that says more.
    state.summaries.set("3Fx9q", "The Gruffalo");
    expect(await ask({cardId: "3Fx9q", chapterTitle: "Chapter 2"})).toBe(
      "Mia's Yoto is playing “The Gruffalo”: “Chapter 2”.",
    );
    await stop();
  });
});
