import path from "node:path";
import sqlite3 from "sqlite3";
import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {STATE_FILE} from "../../../src/store/store.js";
import type {TestApp} from "../../helpers/app.js";
import {startSimulator} from "../../helpers/cloud.js";
import {waitFor} from "../../helpers/players.js";
import {importStory, payloadBytes, stepper, storyCard, storyPlayApp} from "../../helpers/storyPlay.js";
import {systemNeed} from "../../helpers/testPrograms.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;

// An ink story written for this test whose only choice fails in inkle's runtime (a number used as a divert).
const TRAP = `VAR door = 1
A trap door.
* [Open it] -> down(door)
== down(-> where)
-> where
`;
const TRAP_ERROR =
  "the ink story stopped with an error: (Ink Pointer -> down -- index 1): Tried to divert to a target from a variable, but the variable (where) didn't contain a divert target, it contained '1'.";

// A Twine story written for this test: right from the hall leads to the closet.
const HALL = `:: StoryTitle
The Hall

:: StoryData
{"ifid":"8B2C4D6E-1F3A-4B5C-9D7E-0A1B2C3D4E5F","start":"Hall"}

:: Hall
A long hall. [[Look left->Study]] [[Look right->Closet]]

:: Study
Books.

:: Closet
Coats.
`;

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

/** SQL on the service's own state database, as another program (or a failing disk) would see it. */
async function sql(file: string, statement: string): Promise<void> {
  const db = new sqlite3.Database(file);
  try {
    await new Promise<void>((resolve, reject) => db.exec(statement, (err) => (err ? reject(err) : resolve())));
  } finally {
    await new Promise((resolve) => db.close(resolve));
  }
}

describe("a streamed story whose saved place cannot be written", () => {
  it.skipIf(!SPEECH.path)(
    "serves no scene it could not save: the player gets an error, the service stays where it was, and goes on once writes work",
    async () => {
      sim = await startSimulator();
      let root: string;
      ({t, root} = await storyPlayApp(sim));
      await importStory(t, "hall.twee", HALL);
      const cardId = await storyCard(t, "the-hall", "streamed");
      const living = sim.player(LIVING);
      const step = stepper(living, () => t!.app.stories.session(LIVING)?.scene);
      const entered: string[] = [];
      t.app.bus.on({}, "story.sceneEntered", (e) => {
        entered.push(e.scene);
      });
      await step(() => living.insertCard(cardId), 1, "hall");

      // SQLite refuses every write of a streamed story's place from now on.
      const db = path.join(root, "data", STATE_FILE);
      await sql(
        db,
        `CREATE TRIGGER refuse_place BEFORE INSERT ON streamed_stories BEGIN SELECT RAISE(ABORT, 'the disk refuses'); END;
       CREATE TRIGGER refuse_place_update BEFORE UPDATE ON streamed_stories BEGIN SELECT RAISE(ABORT, 'the disk refuses'); END;`,
      );
      living.pressRight();
      await waitFor(() => living.fetches.length === 2 && living.fetches[1]!.status >= 500, "the refused slot answered");
      // Held there: the refused track, empty, would end by itself a second later and ask for the next slot.
      living.pause();
      // Nothing claims the player moved on: the session, the panel's path and the events stay at the hall.
      expect(t.app.stories.session(LIVING)).toMatchObject({scene: "hall", path: ["hall"]});
      expect(entered).toEqual(["hall"]);

      // Writes work again: the story goes on from the place that was saved. Right from the refused
      // slot comes round to the hall's own slot (told again), and right from there is the closet.
      await sql(db, "DROP TRIGGER refuse_place; DROP TRIGGER refuse_place_update;");
      await step(() => living.pressRight(), 3, "hall");
      // The closet is the story's last scene, under a second long: its end may come (and end the
      // story) before a look at the session, so its entry is what is waited for.
      living.pressRight();
      await waitFor(
        () => living.fetches[3]?.complete === true && entered.includes("closet"),
        `the closet fetched (fetch 4); entered ${entered.join(", ")} after ${living.fetches.length} fetches`,
        20_000,
      );
      expect(living.fetches[3]!.status).toBe(200);
      expect(entered).toEqual(["hall", "closet"]);
      expect(living.fetches[3]!.bytes).toBe(await payloadBytes(t, await t.app.narration.say("Coats.", {})));
    },
    120_000,
  );
});

describe("an ink story that fails in the runtime mid-story", () => {
  it("answers the failing slot with an error, logs inkle's own reason each time it is tried, and keeps serving", async () => {
    sim = await startSimulator();
    ({t} = await storyPlayApp(sim));
    await importStory(t, "trap.ink", TRAP);
    const cardId = await storyCard(t, "trap");
    const living = sim.player(LIVING);
    const step = stepper(living, () => t!.app.stories.session(LIVING)?.scene);
    await step(() => living.insertCard(cardId), 1, "ink-0");
    const failures = () => t!.logs.filter((l) => l.includes("/stories/trap/slots/"));

    living.pressLeft();
    await waitFor(() => living.fetches.length === 2 && living.fetches[1]!.status === 500, "the failing slot answered");
    // Tried again (the next slot is the same one choice, as any button takes a lone choice): the
    // same reason, not the runtime's leftovers from the first try.
    living.pressLeft();
    await waitFor(() => living.fetches.length === 3 && living.fetches[2]!.status === 500, "the slot failing again");
    expect(failures().map((l) => l.replace(/^.*failed \(/, ""))).toEqual([`${TRAP_ERROR})`, `${TRAP_ERROR})`]);
    expect(t.app.stories.session(LIVING)).toMatchObject({scene: "ink-0", path: ["ink-0"]});

    // The service goes on: another player starts the story.
    const mini = sim.player(MINI);
    await stepper(mini, () => t!.app.stories.session(MINI)?.scene)(() => mini.insertCard(cardId), 1, "ink-0");
  }, 120_000);
});
