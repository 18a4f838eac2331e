import {describe, expect, it} from "vitest";
import {OFFER_MS, VoiceOffers} from "../../../src/voice/voiceOffers.js";

const option = (id: string) => ({kind: "card" as const, id, title: id});

describe("what a satellite was offered to choose from", () => {
  it("is taken by the next request to it, once, and only within the minute", () => {
    let now = 1_000;
    const offers = new VoiceOffers(() => now);
    offers.keep("sat", {options: [option("a"), option("b")], playerId: "p", what: "moon"});
    expect(offers.take("sat")?.options.map((o) => o.id)).toEqual(["a", "b"]);
    expect(offers.take("sat")).toBeUndefined();
    offers.keep("sat", {options: [option("c")], playerId: "p", what: "moon"});
    now += OFFER_MS + 1;
    expect(offers.take("sat")).toBeUndefined();
    // Another satellite's is its own.
    offers.keep("hall", {options: [option("d")], playerId: "p", what: "x"});
    expect(offers.take("sat")).toBeUndefined();
    expect(offers.take("hall")?.options[0]?.id).toBe("d");
  });

  it("is given back as it was by a request that did not answer it, unless something newer was offered", () => {
    let now = 1_000;
    const offers = new VoiceOffers(() => now);
    offers.keep("sat", {options: [option("a")], playerId: "p", what: "moon"});
    const taken = offers.take("sat");
    expect(taken).toBeDefined();
    now += OFFER_MS / 2;
    offers.giveBack("sat", taken!);
    // Its minute is the one it had: given back, it does not live longer.
    now += OFFER_MS / 2 + 1;
    expect(offers.take("sat")).toBeUndefined();
    // Something newer asked meanwhile wins over the old one given back.
    offers.keep("sat", {options: [option("b")], playerId: "p", what: "dragon"});
    const old = {options: [option("a")], playerId: "p", what: "moon", at: now};
    offers.giveBack("sat", old);
    expect(offers.take("sat")?.options[0]?.id).toBe("b");
  });
});
