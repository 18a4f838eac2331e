import path from "node:path";
import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {makeTone} from "../../helpers/audio.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();

describe("a choice offered for one child", () => {
  it("is refused for another child, in words, with nothing played; without a name it plays for the child it was offered for", async () => {
    const {sim, t} = await startLinked({app: {linkToOwnAudioListener: true}});
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    await makeTone(path.join(t.mediaDir, "owl.mp3"), {seconds: 30, title: "The Owl", bitrate: "32k", quick: true});
    await t.app.library.scan();
    const owl = t.app.library.items().find((i) => i.title === "The Owl")!.id;
    const shelf = [`library:${owl}`, "story-radio"];
    expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, {players: ["Bedroom Mini"], shelf})).status).toBe(200);
    expect((await call("PUT", `${t.adminUrl}/api/children/Ben`, {players: ["Living Room"], shelf})).status).toBe(200);
    for (const stream of ["demo-radio", "abend-radio"])
      expect((await call("PUT", `${t.adminUrl}/api/streams/${stream}`, {items: [owl]})).status).toBe(200);
    await waitFor(
      () => t.app.storyRadio.forChild("Mia") !== undefined && t.app.storyRadio.forChild("Ben") !== undefined,
      "Mia's and Ben's story radios",
    );
    const voice = async (body: Record<string, unknown>) =>
      (await call("POST", `${t.adminUrl}/api/voice`, {trigger: "play", device_id: "sat-hall", ...body})).body;
    const nothingOn = (player: string) => sim.player(player).eventsSnapshot().cardId ?? "none";

    for (const [language, what, first, offered, refused] of [
      [
        "en",
        "radio",
        "the last one",
        'Which one: “Abend radio”, “Demo radio” or story radio? Say "play the third one", for example.',
        'I offered that choice for Mia. For Ben, ask again: "play radio for Ben".',
      ],
      [
        "de",
        "radio",
        "die zweite",
        "Welche: „Abend radio“ oder „Demo radio“? Sag zum Beispiel „spiel die zweite“.",
        "Die Auswahl war für Mia. Für Ben frag noch einmal: „spiel radio für Ben“.",
      ],
    ] as const) {
      expect(await voice({language, slots: {what, who: "Mia"}})).toMatchObject({
        speech: offered,
        outcome: "which",
        child: "Mia",
      });
      // Taken for Ben: what was offered for Mia (her story radio, in English) is not Ben's; nothing plays anywhere.
      expect(await voice({language, slots: {what: first, who: "Ben"}})).toEqual({
        speech: refused,
        outcome: "which",
        trigger: "play",
        action: "play",
        language,
        player: "Living Room",
        player_id: LIVING,
        child: "Ben",
      });
      expect([nothingOn(LIVING), nothingOn(MINI)]).toEqual(["none", "none"]);
    }
    // Ben named in the sentence only (no name slot): the same.
    expect(await voice({slots: {what: "the last one"}, sentence: "play the last one for ben"})).toMatchObject({
      speech: 'I offered that choice for Mia. For Ben, ask again: "play radio for Ben".',
    });
    expect([nothingOn(LIVING), nothingOn(MINI)]).toEqual(["none", "none"]);

    // Ben asks again: his own story radio, on his Yoto.
    expect(await voice({slots: {what: "radio", who: "Ben"}})).toMatchObject({outcome: "which", child: "Ben"});
    expect(await voice({slots: {what: "the last one", who: "Ben"}})).toMatchObject({
      speech: "Playing Ben's story radio on Ben's Yoto.",
      outcome: "played",
    });
    await waitFor(() => t.app.players.get(LIVING).playback.chapterTitle === "Ben's story radio", "Ben's own radio");

    // Offered for Mia, taken with no name (or hers): Mia's story radio, on Mia's Yoto.
    expect(await voice({slots: {what: "radio", who: "Mia"}})).toMatchObject({outcome: "which", child: "Mia"});
    expect(await voice({slots: {what: "the last one"}})).toMatchObject({
      speech: "Playing Mia's story radio on Mia's Yoto.",
      outcome: "played",
    });
    await waitFor(() => t.app.players.get(MINI).playback.chapterTitle === "Mia's story radio", "Mia's radio on hers");
    const whatsOn = async (who: string) =>
      (await call("POST", `${t.adminUrl}/api/voice`, {trigger: "whats_playing", slots: {who}})).body.speech;
    expect(await whatsOn("Mia")).toBe("Mia's Yoto is playing Mia's story radio.");
    expect(await whatsOn("Ben")).toBe("Ben's Yoto is playing Ben's story radio.");
  }, 60_000);
});
