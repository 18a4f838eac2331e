import path from "node:path";
import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {makeTone} from "../../helpers/audio.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();

describe("a card made from a stream, by the title the family gave it", () => {
  it("is found by voice by the card's title and by the stream's name with its kind word, in both languages, and named by its title everywhere", async () => {
    const {sim, t} = await startLinked({app: {linkToOwnAudioListener: true}});
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    await makeTone(path.join(t.mediaDir, "growl.mp3"), {seconds: 30, title: "Growl", bitrate: "32k", quick: true});
    await t.app.library.scan();
    await t.app.streams.replace("demo", ["growl.mp3"]);
    // The Streams view's "Make a card" with the title the parent typed.
    const made = await call("POST", `${t.adminUrl}/api/cards`, {from: "stream", stream: "demo", title: "The Gruffalo"});
    expect(made.status, made.body.error).toBe(201);
    const cardId = (made.body as {card: {cardId: string}}).card.cardId;
    const plan = {players: ["Bedroom Mini"], shelf: ["stream:demo"]};
    expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, plan)).status).toBe(200);

    const voice = (what: string, language = "en") =>
      call("POST", `${t.adminUrl}/api/voice`, {trigger: "play", slots: {what, who: "Mia"}, language});
    const stop = async () => {
      await t.app.players.command(MINI, {command: "stop"});
      await waitFor(() => t.app.players.get(MINI).playback.status !== "playing", "the Mini stopped");
    };

    // By the card's title, as "what's playing" says it.
    const byTitle = await voice("the gruffalo");
    expect(byTitle.body).toMatchObject({outcome: "played", title: "The Gruffalo"});
    expect(byTitle.body.speech).toBe("Playing “The Gruffalo” on Mia's Yoto.");
    expect(sim.player(MINI).eventsSnapshot().cardId).toBe(cardId);
    const whatsOn = await call("POST", `${t.adminUrl}/api/voice`, {trigger: "whats_playing", slots: {who: "Mia"}});
    expect(whatsOn.body.speech).toBe("Mia's Yoto is playing “The Gruffalo”.");
    await stop();

    // By the stream's name with a kind word after it, and the kind alone: the same card, said by its title.
    for (const [what, language, speech] of [
      ["the demo stream", "en", "Playing “The Gruffalo” on Mia's Yoto."],
      ["demo", "en", "Playing “The Gruffalo” on Mia's Yoto."],
      ["the stream", "en", "Playing “The Gruffalo” on Mia's Yoto."],
      ["den Demo-Stream", "de", "Ich spiele „The Gruffalo“ auf Mias Yoto."],
      ["den Gruffalo", "de", "Ich spiele „The Gruffalo“ auf Mias Yoto."],
    ] as const) {
      const answer = await voice(what, language);
      expect(answer.body.speech, what).toBe(speech);
      expect(sim.player(MINI).eventsSnapshot().cardId, what).toBe(cardId);
      await stop();
    }

    // The child's page names the tile by the card's title; a parent finds it by either name.
    const shelf = await call("GET", `${t.adminUrl}/api/children/Mia/shelf`);
    expect(shelf.body.items.map((i: {id: string; title: string}) => [i.id, i.title])).toEqual([
      ["stream:demo", "The Gruffalo"],
    ]);
    for (const q of ["gruffalo", "demo"]) {
      const found = await call("GET", `${t.adminUrl}/api/shelf/choices?q=${q}`);
      expect(found.body.choices, q).toEqual([{ref: "stream:demo", kind: "stream", title: "The Gruffalo"}]);
    }

    // A second card made from the same stream, with a title of its own (issue #100: it played and
    // showed as the first): a thing of its own, played and said as itself.
    const second = await call("POST", `${t.adminUrl}/api/cards`, {
      from: "stream",
      stream: "demo",
      title: "The Purple Balloon",
    });
    expect(second.status, second.body.error).toBe(201);
    const secondId = (second.body as {card: {cardId: string}}).card.cardId;
    const balloon = await voice("the purple balloon");
    expect(balloon.body.speech).toBe("Playing “The Purple Balloon” on Mia's Yoto.");
    expect(sim.player(MINI).eventsSnapshot().cardId).toBe(secondId);
    const nowOn = await call("POST", `${t.adminUrl}/api/voice`, {trigger: "whats_playing", slots: {who: "Mia"}});
    expect(nowOn.body.speech).toBe("Mia's Yoto is playing “The Purple Balloon”.");
    await stop();
    // The stream is still the card that names it, by that title, on the shelf and by its name.
    const byName = await voice("demo");
    expect(byName.body.speech).toBe("Playing “The Gruffalo” on Mia's Yoto.");
    expect(sim.player(MINI).eventsSnapshot().cardId).toBe(cardId);
    await stop();
    const after = await call("GET", `${t.adminUrl}/api/children/Mia/shelf`);
    expect(after.body.items.map((i: {id: string; title: string}) => [i.id, i.title])).toEqual([
      ["stream:demo", "The Gruffalo"],
    ]);
    const picks = await call("GET", `${t.adminUrl}/api/shelf/choices?q=balloon`);
    expect(picks.body.choices).toEqual([{ref: secondId, kind: "card", title: "The Purple Balloon"}]);
    // A card made again with the stream's own title is the stream, not a second "The Gruffalo".
    const again = await call("POST", `${t.adminUrl}/api/cards`, {
      from: "stream",
      stream: "demo",
      title: "the gruffalo",
    });
    expect(again.status, again.body.error).toBe(201);
    const gruffalos = await call("GET", `${t.adminUrl}/api/shelf/choices?q=gruffalo`);
    expect(gruffalos.body.choices).toHaveLength(1);
    expect(gruffalos.body.choices[0]).toMatchObject({ref: "stream:demo", kind: "stream"});
    expect(gruffalos.body.choices[0].title.toLowerCase()).toBe("the gruffalo");
  }, 60_000);
});
