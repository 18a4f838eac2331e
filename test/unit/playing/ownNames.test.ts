import {describe, expect, it} from "vitest";
import type {OwnTitle} from "../../../src/playing/catalogue.js";
import {ownNames} from "../../../src/playing/ownNames.js";
import type {OwnCard} from "../../../src/shared/api/cards.js";
import type {ListeningSession} from "../../../src/shared/api/history.js";
import type {PlayerState} from "../../../src/shared/api/players.js";

const card = (cardId: string, title: string, stream: string, type: "stream" | "feed" = "stream"): OwnCard => ({
  cardId,
  title,
  source: {type, stream},
  createdAt: "",
  updatedAt: "",
});
const CARDS: Record<string, OwnCard> = {
  radio: card("radio", "story-radio-ben", "story-radio-ben"),
  station: card("station", "demo-radio", "demo-radio"),
  titled: card("titled", "Grandma's songs", "grandma"),
  pod: card("pod", "bedtime-pod", "bedtime-pod", "feed"),
};
const OWN: Record<string, OwnTitle> = {
  radio: {kind: "story_radio", stream: "story-radio-ben"},
  station: {kind: "title", title: "demo radio", chapters: false},
  titled: {kind: "title", title: "Grandma's songs", chapters: false},
  pod: {kind: "title", title: "Bedtime Tales", chapters: true},
  relay: {kind: "title", title: "A cast's track", chapters: false},
};
const names = ownNames({
  catalogue: {ownTitle: (_player, cardId) => OWN[cardId]},
  cards: {find: (cardId) => CARDS[cardId] ?? (cardId === "relay" ? card("relay", "Announcements", "x") : undefined)},
  announcer: {isRelayCard: (cardId) => cardId === "relay"},
  children: () => ["Ben"],
});
const playing = (cardId: string, chapterTitle: string, trackTitle = chapterTitle) =>
  ({id: "p", playback: {cardId, chapterTitle, trackTitle, status: "playing"}}) as unknown as PlayerState;
const session = (cardId: string | null, cardTitle: string, chapterTitle?: string) =>
  ({id: 1, cardId, cardTitle, ...(chapterTitle ? {chapterTitle} : {})}) as unknown as ListeningSession;

describe("the service's own cards, named as the family knows them", () => {
  it("a child's story radio and a stream by title; a parent's title and a podcast's episodes kept", () => {
    expect(names.card("radio")?.title).toBe("Ben's story radio");
    expect(names.card("station")?.title).toBe("demo radio");
    expect(names.card("titled")?.title).toBe("Grandma's songs");
    expect(names.card("relay")).toBeUndefined();
    expect(names.card("dShp1")).toBeUndefined();
    expect(names.player(playing("radio", "story-radio-ben")).playback).toMatchObject({
      chapterTitle: "Ben's story radio",
      trackTitle: "Ben's story radio",
    });
    const episode = playing("pod", "Episode 4: The Moon");
    expect(names.player(episode)).toBe(episode);
    const shop = playing("dShp1", "Chapter 1");
    expect(names.player(shop)).toBe(shop);
  });

  it("a session: its card's title, a chapter that is only an id gone, a station's song kept", () => {
    expect(names.session(session("radio", "story-radio-ben", "story-radio-ben"))).toEqual({
      id: 1,
      cardId: "radio",
      cardTitle: "Ben's story radio",
    });
    expect(names.session(session("station", "demo-radio", "Twinkle Tone - Demo FM"))).toMatchObject({
      cardTitle: "demo radio",
      chapterTitle: "Twinkle Tone - Demo FM",
    });
    // A story radio card made again since (another id): still Ben's by the stream it was titled after.
    expect(names.session(session("gone1", "story-radio-ben", "story-radio-ben"))).toEqual({
      id: 1,
      cardId: "gone1",
      cardTitle: "Ben's story radio",
    });
  });
});
