import {writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {parseCommand} from "../../../src/yoto/commands.js";
import {sendAdmitted} from "../../helpers/admitted.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {call} from "../../helpers/http.js";
import {type CloudStack, linkedCloud, waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;

let sim: YotoSimulator | undefined;
let stack: CloudStack | undefined;
let app: TestApp | undefined;
afterEach(async () => {
  await stack?.stop();
  await app?.stop();
  await sim?.stop();
  sim = stack = app = undefined;
});

const track = (key: string, title: string) => ({key, title, trackUrl: "yoto:#x", type: "audio" as const, duration: 60});

/** Cards the family made here (MYO): two-digit keys. */
function addFamilyCards(s: YotoSimulator): void {
  s.addCard({
    cardId: "songs",
    title: "Bedtime Songs",
    content: {chapters: [{key: "01", title: "One", tracks: [track("01", "Hush"), track("02", "Lullaby")]}]},
  });
  s.addCard({
    cardId: "mix01",
    title: "Road Trip Mix",
    content: {chapters: [{key: "01", title: "One", tracks: [track("01", "Go")]}]},
  });
}

/** A shop card in the family's library: Yoto's own keys, readable only through /card/{id}. */
function addShopCards(s: YotoSimulator): void {
  s.addStoreCard({
    cardId: "gRuF1",
    title: "The Gruffalo",
    content: {
      chapters: [
        {key: "01-INT", title: "Welcome", tracks: [track("01-INT", "Welcome")]},
        {key: "02-1", title: "Into the Wood", tracks: [track("02-1", "Into the Wood")]},
        {key: "00", title: "Goodbye", tracks: [track("00", "Goodbye")]},
      ],
    },
  });
  s.addStoreCard({
    cardId: "gRuF2",
    title: "Gruffalo's Child",
    content: {chapters: [{key: "01-INT", title: "Welcome", tracks: [track("01-INT", "Welcome")]}]},
  });
}

/** What a refused command says, and with which HTTP status. */
async function refusal(command: Promise<unknown>): Promise<{status: number; message: string}> {
  const err = (await command.then(
    () => ({status: 0, message: "it was not refused"}),
    (e: {status: number; message: string}) => e,
  )) as {status: number; message: string};
  return {status: err.status, message: err.message};
}

const ready = (s: CloudStack) => () => s.players.list().find((p) => p.id === LIVING)?.volume.level !== undefined;

describe("the family's cards", () => {
  it("lists their own and their library's cards once each, by title, saying which they made", async () => {
    sim = await startSimulator();
    addFamilyCards(sim);
    addShopCards(sim);
    stack = await linkedCloud(sim);
    const cards = await stack.players.familyCards();
    expect(cards.filter((c) => ["songs", "mix01", "gRuF1", "gRuF2"].includes(c.cardId))).toEqual([
      {cardId: "songs", title: "Bedtime Songs", madeByFamily: true},
      {cardId: "gRuF2", title: "Gruffalo's Child", madeByFamily: false},
      {cardId: "mix01", title: "Road Trip Mix", madeByFamily: true},
      {cardId: "gRuF1", title: "The Gruffalo", madeByFamily: false},
    ]);
    expect(new Set(cards.map((c) => c.cardId)).size).toBe(cards.length);
  });

  it("plays a card named by its title, an id winning over a title, and refuses unknown or shared names with the closest titles", async () => {
    sim = await startSimulator();
    addFamilyCards(sim);
    addShopCards(sim);
    sim.addCard({cardId: "mix02", title: "road trip mix", content: {chapters: []}});
    stack = await linkedCloud(sim);
    await waitFor(ready(stack), "the Living Room");

    const byName = await sendAdmitted(
      stack.players,
      LIVING,
      parseCommand({command: "play_card", cardId: "the gruffalo"}),
    );
    expect(byName?.payload).toEqual({uri: "https://yoto.io/gRuF1"});
    await waitFor(() => stack!.players.get(LIVING).playback.cardId === "gRuF1", "the Gruffalo playing");
    const byId = await sendAdmitted(stack.players, LIVING, parseCommand({command: "play_card", cardId: "songs"}));
    expect(byId?.payload).toEqual({uri: "https://yoto.io/songs"});

    await expect(
      sendAdmitted(stack.players, LIVING, parseCommand({command: "play_card", cardId: "Gruffalo"})),
    ).rejects.toThrow("No card called 'Gruffalo': did you mean 'The Gruffalo' (gRuF1) or 'Gruffalo's Child' (gRuF2)?");
    expect(
      await refusal(
        sendAdmitted(stack.players, LIVING, parseCommand({command: "play_card", cardId: "Dinosaur Disco"})),
      ),
    ).toEqual({
      status: 404,
      message: "No card called 'Dinosaur Disco' among the family's 5 cards: use a card id or a card's exact title",
    });
    expect(
      await refusal(sendAdmitted(stack.players, LIVING, parseCommand({command: "play_card", cardId: "Road Trip Mix"}))),
    ).toEqual({
      status: 409,
      message:
        "2 cards are called 'Road Trip Mix': 'road trip mix' (mix02) and 'Road Trip Mix' (mix01); use the card id",
    });
  });

  it("skips through a shop card the family does not own with its real keys", async () => {
    sim = await startSimulator();
    addShopCards(sim);
    stack = await linkedCloud(sim);
    await waitFor(ready(stack), "the Living Room");

    const start = await sendAdmitted(
      stack.players,
      LIVING,
      parseCommand({command: "play_card", cardId: "The Gruffalo", chapter: "01-INT"}),
    );
    expect(start?.payload).toEqual({uri: "https://yoto.io/gRuF1", chapterKey: "01-INT"});
    await waitFor(() => stack!.players.get(LIVING).playback.chapterKey === "01-INT", "the introduction");
    const next = await sendAdmitted(stack.players, LIVING, {command: "next"});
    expect(next?.payload).toEqual({uri: "https://yoto.io/gRuF1", chapterKey: "02-1", trackKey: "02-1"});
    await waitFor(() => stack!.players.get(LIVING).playback.chapterKey === "02-1", "the first story");
    const again = await sendAdmitted(stack.players, LIVING, {command: "next"});
    expect(again?.payload).toEqual({uri: "https://yoto.io/gRuF1", chapterKey: "00", trackKey: "00"});
    await waitFor(() => stack!.players.get(LIVING).playback.chapterKey === "00", "the goodbye");
    const back = await sendAdmitted(stack.players, LIVING, {command: "previous"});
    expect(back?.payload).toEqual({uri: "https://yoto.io/gRuF1", chapterKey: "02-1", trackKey: "02-1"});
    await expect(
      sendAdmitted(stack.players, LIVING, parseCommand({command: "play_card", cardId: "gRuF1", chapter: 2})),
    ).rejects.toThrow("Card 'The Gruffalo' has no chapter '2': its chapters are 01-INT, 02-1, 00");
    // Its title for Home Assistant's now-playing, read the same way.
    expect(await stack.players.cardSummary("gRuF1")).toEqual({title: "The Gruffalo", image: undefined, tracks: 3});
  });

  it("refuses to guess keys for a card Yoto cannot read, and still plays it from the start", async () => {
    sim = await startSimulator();
    addFamilyCards(sim);
    stack = await linkedCloud(sim);
    await waitFor(ready(stack), "the Living Room");
    await sendAdmitted(stack.players, LIVING, {command: "play_card", cardId: "songs"});
    await waitFor(() => stack!.players.get(LIVING).playback.trackKey === "01", "the card playing");
    // The card goes from the account while it plays: neither /content nor /card knows it now.
    await stack.rest.deleteContent("songs");

    const skip = sendAdmitted(stack.players, LIVING, {command: "next"});
    expect(await refusal(skip)).toEqual({
      status: 404,
      message:
        "Cannot skip on 'Living Room': the card 'songs' could not be read from Yoto (Yoto answered 404 to GET /card/songs: Card songs not found), so its chapter keys are unknown",
    });
    await expect(
      sendAdmitted(stack.players, LIVING, parseCommand({command: "play_card", cardId: "songs", chapter: 1, track: 2})),
    ).rejects.toThrow(
      "Cannot play chapter '1' track '2' on 'Living Room': the card 'songs' could not be read from Yoto (Yoto answered 404 to GET /card/songs: Card songs not found), so its chapter keys are unknown",
    );
    // Without a chapter or track no keys are needed: it is sent, and only the player can refuse it.
    await expect(sendAdmitted(stack.players, LIVING, {command: "play_card", cardId: "songs"})).rejects.toThrow(
      "'play_card' on 'Living Room' was refused by the player (FAIL); check the card is on the family's account and the chapter and track exist on it, spelled as the card spells them",
    );
  });
});

describe("a card by title in the running service", () => {
  it("plays from a rule and over the HTTP API, and lists the cards for the panel", async () => {
    sim = await startSimulator();
    addFamilyCards(sim);
    addShopCards(sim);
    app = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints});
    await writeFile(
      path.join(app.app.config.rules_dir, "bedtime.yaml"),
      `
- id: bedtime
  triggers:
    - trigger: mqtt
      topic: home/bedtime
  actions:
    - action: player.play_card
      player: Living Room
      card: The Gruffalo
      chapter: 02-1
`,
    );
    await app.app.rules.reload();
    await linkAccount(app.app.account);
    await waitFor(
      () => app!.app.players.list().some((p) => p.id === LIVING && p.volume.level !== undefined),
      "the player",
    );

    expect(await app.app.rules.run("bedtime")).toMatchObject({result: "completed"});
    await waitFor(() => sim!.player(LIVING).eventsSnapshot().cardId === "gRuF1", "the rule's card to play");
    expect(sim.player(LIVING).eventsSnapshot().chapterKey).toBe("02-1");

    const players = `${app.adminUrl}/api/players/${LIVING}/commands`;
    expect(await call("POST", players, {command: "play_card", cardId: "Bedtime Songs"})).toEqual({
      status: 200,
      body: {ok: true, command: "play_card", sent: {topic: "card/start", payload: {uri: "https://yoto.io/songs"}}},
    });
    expect(await call("POST", players, {command: "play_card", cardId: "Gruffalo"})).toEqual({
      status: 404,
      body: {
        error: "No card called 'Gruffalo': did you mean 'The Gruffalo' (gRuF1) or 'Gruffalo's Child' (gRuF2)?",
        code: "unknown_card",
      },
    });
    const {body} = await call("GET", `${app.adminUrl}/api/account/cards`);
    expect(body.cards).toContainEqual({cardId: "gRuF1", title: "The Gruffalo", madeByFamily: false});
    expect(body.cards).toContainEqual({cardId: "songs", title: "Bedtime Songs", madeByFamily: true});
  });
});
