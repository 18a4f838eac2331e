import {describe, expect, it} from "vitest";
import type {ChildView, FamilyJournalEntry} from "../../../src/family/types.js";
import {askState, NowPlaying} from "../../../src/shelf/nowPlaying.js";
import type {ResolvedItem} from "../../../src/shelf/shelfItems.js";
import {newPlayer} from "../../../src/yoto/playerModel.js";

const item = (id: string, kind: ResolvedItem["play"]["kind"], playId: string): ResolvedItem => ({
  id,
  kind: kind === "item" ? "item" : kind === "card" ? "card" : "stream",
  title: id,
  cover: `cover-${id}`,
  picture: "art",
  ref: id,
  play: {kind, id: playId, title: id},
});
const ITEMS = [
  item("card:c1", "card", "c1"),
  item("stream:calm", "stream", "calm"),
  item("library:hum", "item", "hum"),
];

function playing(cardId: string | null, chapterTitle?: string) {
  const p = newPlayer({deviceId: "p1", name: "Bedroom Mini", deviceFamily: "mini", deviceType: "v3", online: true});
  return {...p, online: true, playback: {...p.playback, status: "playing" as const, cardId, chapterTitle}};
}

describe("what the child's player is doing, as the page draws it", () => {
  it("finds the shelf item by the card, by a stream's card, or by the tap that started it", () => {
    const clock = {now: 0};
    const now = new NowPlaying(() => clock.now);
    expect(now.of(playing("c1"), ITEMS)).toMatchObject({item: "card:c1", cover: "cover-card:c1", title: "card:c1"});
    expect(now.of(playing("s9", "calm"), ITEMS).item).toBe("stream:calm");
    // A library item plays on a card of its own (the relay card): the tap says which item it is.
    now.tapped("p1", "library:hum", "c1");
    expect(now.of(playing("c1"), ITEMS).item).toBe("card:c1");
    expect(now.of(playing("relay"), ITEMS).item).toBe("library:hum");
    // Another card put in: not the tapped item's any more.
    expect(now.of(playing("other", "Other"), ITEMS)).toMatchObject({item: null, title: "Other"});
    // The same relay card as before the tap: taken as the item's once it has had time to start.
    now.tapped("p1", "library:hum", "relay");
    expect(now.of(playing("relay"), ITEMS).item).toBeNull();
    clock.now += 3001;
    expect(now.of(playing("relay"), ITEMS).item).toBe("library:hum");
  });
});

describe("the page's one more story", () => {
  const view = (over: Partial<ChildView>, whats: FamilyJournalEntry["what"][] = []) =>
    ({
      bonuses_left: 2,
      request: null,
      bonus: null,
      journal: whats.map((what, i) => ({at: `2026-11-27T19:0${i}:00Z`, child: "Mia", what, text: ""})),
      ...over,
    }) as unknown as ChildView;

  it("is waiting while a request waits, then the last answer: allowed (past the bonus it granted), not tonight, or none", () => {
    expect(askState(view({request: {} as ChildView["request"]}))).toEqual({state: "waiting", left: 2});
    const bonus = {until: "2026-11-27T19:30:00Z"} as ChildView["bonus"];
    expect(askState(view({bonus}, ["request", "allowed", "bonus"]))).toEqual({state: "allowed", left: 2});
    expect(askState(view({}, ["request", "not_tonight"]))).toEqual({state: "not_tonight", left: 2});
    expect(askState(view({}, ["request", "expired"]))).toEqual({state: "none", left: 2});
    expect(askState(view({bonuses_left: 0}, []))).toEqual({state: "cap", left: 0});
  });
});
