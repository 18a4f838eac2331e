import {afterEach, describe, expect, it} from "vitest";
import {type ArchiveStack, addFamilyCard, archiveNow, archiveStack} from "../../helpers/familyArchive.js";
import {call} from "../../helpers/http.js";
import {untilAdded} from "../../helpers/streamAdding.js";

let stack: ArchiveStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe("the stream made from an archived card", () => {
  it("is named after the card, a card made of it is titled as the card, and it never takes another stream's name", async () => {
    stack = await archiveStack();
    const {sim, t, api} = stack;
    await addFamilyCard(sim, "dfam1", "The Moon Fox", [{title: "Moonrise"}, {title: "The den"}]);
    await addFamilyCard(sim, "bed01", "Bedtime", [{title: "Hush"}]);
    await addFamilyCard(sim, "bed02", "Bedtime", [{title: "Lullaby"}]);
    await addFamilyCard(sim, "owls1", "Grandma 🦉🦉", [{title: "Hoot"}]);
    await addFamilyCard(sim, "tsuki", "月の狐", [{title: "Tsuki"}]);
    expect((await archiveNow(api)).run).toMatchObject({state: "done", problems: []});
    // The family's own queue, named as a card of theirs is titled.
    await t.app.streams.replace("bedtime", []);
    const play = async (card: string, body: object = {}) => {
      const res = await call("POST", `${api}/archive/${card}/stream`, body);
      expect(res.status, res.body.error).toBe(200);
      await untilAdded(t.app, res.body.stream);
      return res.body.stream as string;
    };

    expect(await play("dfam1")).toBe("the-moon-fox");
    expect(t.app.streams.get("the-moon-fox").items).toHaveLength(2);
    // A card made of it, given no title, is the archived card by its title: the Yoto app shows that,
    // and the archive's next run names its change so. The family's own queue is named in words.
    const card = await call("POST", `${api}/cards`, {from: "stream", stream: "the-moon-fox"});
    expect(card.status).toBe(201);
    expect(card.body.card).toMatchObject({title: "The Moon Fox", source: {type: "stream", stream: "the-moon-fox"}});
    expect(sim.card(card.body.card.cardId)?.title).toBe("The Moon Fox");
    const own = await call("POST", `${api}/cards`, {from: "stream", stream: "bedtime"});
    expect(sim.card(own.body.card.cardId)?.title).toBe("Bedtime");
    const next = (await archiveNow(api)).run;
    expect(next).toMatchObject({state: "done", problems: []});
    expect(next.changes.filter((c) => c.cardId === card.body.card.cardId || c.cardId === own.body.card.cardId)).toEqual(
      [
        {
          cardId: card.body.card.cardId,
          title: "The Moon Fox",
          summary: "archived for the first time: 1 chapter, 1 track",
        },
        {cardId: own.body.card.cardId, title: "Bedtime", summary: "archived for the first time: 1 chapter, 1 track"},
      ],
    );
    const listed = (await call("GET", `${api}/archive`)).body.cards.map((c: {title: string}) => c.title);
    expect(listed.filter((title: string) => /moon|bedtime/i.test(title))).toEqual([
      "Bedtime",
      "Bedtime",
      "Bedtime",
      "The Moon Fox",
      "The Moon Fox",
    ]);
    // Made playable again: the card's own stream, made again, not a second one.
    const made = t.app.streams.get("the-moon-fox").createdAt;
    expect(await play("dfam1")).toBe("the-moon-fox");
    expect(t.app.streams.get("the-moon-fox").createdAt).toBe(made);
    expect(await play("owls1")).toBe("grandma");
    expect(await play("tsuki")).toBe("archive-tsuki");

    // "bedtime" is the family's: the card's stream takes the next name, and keeps it.
    expect(await play("bed01")).toBe("bedtime-2");
    expect(await play("bed02")).toBe("bedtime-3");
    expect(await play("bed01")).toBe("bedtime-2");
    expect(t.app.streams.get("bedtime").items).toEqual([]);
    expect(await call("POST", `${api}/archive/bed01/stream`, {name: "bedtime"})).toEqual({
      status: 409,
      body: expect.objectContaining({
        error: "A stream named 'bedtime' already exists; pick another name, or leave the name out to use 'bedtime-2'",
      }),
    });

    // The card's stream deleted, and the family's own made under that name: theirs stays theirs.
    expect((await call("DELETE", `${api}/streams/the-moon-fox`)).status).toBe(200);
    await t.app.streams.replace("the-moon-fox", []);
    expect(await play("dfam1")).toBe("the-moon-fox-2");
    expect(t.app.streams.get("the-moon-fox").items).toEqual([]);
  }, 60_000);

  it("keeps playing into the stream an earlier version named archive-<card>, which a card made before points at", async () => {
    stack = await archiveStack();
    const {sim, t, api} = stack;
    await addFamilyCard(sim, "dfam1", "The Moon Fox", [{title: "Moonrise"}]);
    expect((await archiveNow(api)).run).toMatchObject({state: "done", problems: []});
    await t.app.streams.replace("archive-dfam1", []);
    const made = t.app.streams.get("archive-dfam1").createdAt;

    const res = await call("POST", `${api}/archive/dfam1/stream`, {});
    expect(res.body).toMatchObject({stream: "archive-dfam1", items: 1});
    await untilAdded(t.app, "archive-dfam1");
    expect(t.app.streams.get("archive-dfam1")).toMatchObject({createdAt: made, items: [expect.any(String)]});
    expect(t.app.streams.has("the-moon-fox")).toBe(false);
    // A card made of it now is the archived card too, by its title.
    const card = await call("POST", `${api}/cards`, {from: "stream", stream: "archive-dfam1"});
    expect(sim.card(card.body.card.cardId)?.title).toBe("The Moon Fox");
  }, 60_000);
});
