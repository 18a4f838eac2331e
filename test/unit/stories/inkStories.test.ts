import {mkdir, readFile, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {importInk} from "../../../src/stories/import/inkImport.js";
import {InkRun, type InkSave, inkNarration} from "../../../src/stories/play/inkRun.js";
import {LANTERN_INK} from "../../helpers/storyPlay.js";
import {tempDir} from "../../helpers/tmp.js";

// A story of our own whose variable (the lantern) changes what the cave says later.
const CAVE = LANTERN_INK;

const MARKET = `At the market you may buy one thing.
* [An apple] Crunchy. -> END
* [A pear] Juicy. -> END
* [A plum] Sweet. -> END
* [A fig] Sticky. -> END
`;

const run = async (source: string) => new InkRun((await importInk("cave.ink", Buffer.from(source))).story.json);

describe("ink stories", () => {
  it("compiles ink source and plays choice points as scenes, its variable changing what comes next", async () => {
    const {story, warnings} = await importInk("cave.ink", Buffer.from(CAVE));
    expect(warnings).toEqual([]);
    expect(story.title).toBe("cave");
    expect(story.start).toEqual({
      text: "You stand at the mouth of a cave.",
      choices: ["Take the lantern", "Go in as you are"],
    });
    expect(story.variables).toEqual({lantern: false});

    const brave = new InkRun(story.json);
    expect(brave.press("left")).toMatchObject({text: "The lantern glows warm.\nA fork in the tunnel."});
    expect(brave.variables()).toEqual({lantern: true});
    expect(brave.press("left")).toEqual({text: "By lantern light you see a sleeping bat.", choices: []});
    expect(brave.press("end")).toBe("stop");

    const bare = new InkRun(story.json);
    bare.press("right");
    expect(bare.press("left")).toEqual({text: "It is too dark: you stumble back out.", choices: []});
  });

  it("narrates a scene's choices as the buttons that take them", async () => {
    const cave = await run(CAVE);
    expect(inkNarration(cave.scene)).toBe(
      "You stand at the mouth of a cave.\nPress the left button to Take the lantern, the right button to Go in as you are.",
    );
  });

  it("reads more than three choices as a spoken menu: right reads the next, the end repeats, left takes it", async () => {
    const market = await run(MARKET);
    expect(market.scene.menuAt).toBe(0);
    expect(market.press("right")).toMatchObject({menuAt: 1});
    expect(market.press("right")).toMatchObject({menuAt: 2});
    expect(inkNarration(market.press("end") as never)).toContain("Choice 3 of 4: A plum.");
    expect(market.press("right")).toMatchObject({menuAt: 3});
    expect(market.press("left")).toEqual({text: "Sticky.", choices: []});
  });

  it("resumes after a restart from the runtime's saved state, variables and all", async () => {
    const dir = await tempDir();
    const {story} = await importInk("cave.ink", Buffer.from(CAVE));
    const before = new InkRun(story.json);
    before.press("left");
    await mkdir(join(dir, "saves"));
    await writeFile(join(dir, "saves", "p1.json"), JSON.stringify(before.save()));

    const saved = JSON.parse(await readFile(join(dir, "saves", "p1.json"), "utf8")) as InkSave;
    const after = new InkRun(story.json, saved);
    expect(after.scene.text).toBe("The lantern glows warm.\nA fork in the tunnel.");
    expect(after.variables()).toEqual({lantern: true});
    expect(after.press("left")).toEqual({text: "By lantern light you see a sleeping bat.", choices: []});
  });

  it("takes compiled JSON as it is", async () => {
    const {story} = await importInk("cave.ink", Buffer.from(CAVE));
    const again = await importInk("cave.json", Buffer.from(story.json));
    expect(again.story.start.choices).toEqual(["Take the lantern", "Go in as you are"]);
  });

  it("answers ink that does not compile with the compiler's message and line", async () => {
    await expect(importInk("bad.ink", Buffer.from("Hello.\n* [Go] -> nowhere\n"))).rejects.toThrow(
      "'bad.ink' does not compile: line 2: Divert target not found: '-> nowhere'",
    );
  });

  it("refuses JSON that is not a compiled ink story, and files over 5 MB", async () => {
    await expect(importInk("x.json", Buffer.from("{}"))).rejects.toThrow(
      "'x.json' is not a compiled ink story (ink version number not found. Are you sure it's a valid .ink.json file?): import the .ink source, or export JSON from Inky",
    );
    await expect(importInk("big.ink", Buffer.alloc(5 * 1024 * 1024 + 1, 65))).rejects.toThrow(
      "'big.ink' is 5242881 bytes: an ink story may be at most 5242880 bytes (5 MB)",
    );
  });
});
