import {mkdir, readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {VoiceAreas} from "../../../src/voice/voiceAreas.js";
import {tempDir} from "../../helpers/tmp.js";

const ROOMS = [
  {area: "Mia's Room", devices: ["Bedroom Mini", "Lamp"]},
  {area: "Kitchen", devices: ["Lamp"]},
];

function areasAt(file: string) {
  const lines: string[] = [];
  const areas = new VoiceAreas(file, new Logger({level: "warning", sink: (line) => lines.push(line)}));
  return {areas, lines};
}

describe("the Home Assistant areas voice keeps", () => {
  it("keeps the areas holding a Yoto, across a restart", async () => {
    const file = path.join(await tempDir("yss-areas-"), "voice-areas.json");
    const first = areasAt(file);
    await first.areas.load();
    first.areas.heard(ROOMS, ["Bedroom Mini"]);
    await first.areas.settled();
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({
      areas: [{area: "Mia's Room", yotos: ["Bedroom Mini"]}],
      house: ["Mia's Room", "Kitchen"],
    });
    const again = areasAt(file);
    await again.areas.load();
    expect(again.areas.list()).toEqual(["Mia's Room"]);
    expect(again.areas.rooms()).toEqual([{area: "Mia's Room", devices: ["Bedroom Mini"]}]);
    expect(again.lines).toEqual([]);
  });

  it("knows the areas where nothing but a Yoto plays, across a restart; unknown counts as not", async () => {
    const file = path.join(await tempDir("yss-areas-"), "voice-areas.json");
    const first = areasAt(file);
    await first.areas.load();
    first.areas.heard(
      [
        // Her Yoto's own renderer is a media player of the Yoto's name: still hers alone.
        {area: "Mia's Room", devices: ["Bedroom Mini", "Lamp"], players: ["Bedroom Mini"]},
        {area: "Living Room", devices: ["Living Room", "TV"], players: ["TV"]},
        {area: "Den", devices: ["Den Yoto"], players: []},
        // An older blueprint sends no media players: whether a TV is there is not known.
        {area: "Hall", devices: ["Hall Yoto"]},
      ],
      ["Bedroom Mini", "Living Room", "Den Yoto", "Hall Yoto"],
    );
    await first.areas.settled();
    expect(first.areas.alone()).toEqual(["Mia's Room", "Den"]);
    const again = areasAt(file);
    await again.areas.load();
    expect(again.areas.alone()).toEqual(["Mia's Room", "Den"]);
    expect(again.areas.list()).toEqual(["Mia's Room", "Living Room", "Den", "Hall"]);
    // A TV put in Mia's room since: hers no longer.
    again.areas.heard(
      [{area: "Mia's Room", devices: ["Bedroom Mini", "TV"], players: ["TV", "Bedroom Mini"]}],
      ["Bedroom Mini"],
    );
    expect(again.areas.alone()).toEqual([]);
  });

  it("knows every area of the house by name across a restart, unknown until a request sent them", async () => {
    const file = path.join(await tempDir("yss-areas-"), "voice-areas.json");
    const first = areasAt(file);
    await first.areas.load();
    expect(first.areas.house()).toBeUndefined();
    first.areas.heard(ROOMS, ["Bedroom Mini"]);
    await first.areas.settled();
    const again = areasAt(file);
    await again.areas.load();
    expect(again.areas.house()).toEqual(["Mia's Room", "Kitchen"]);
    // A house past the most kept is not known whole.
    const many = Array.from({length: 501}, (_, i) => ({area: `Room ${i}`, devices: ["Lamp"]}));
    again.areas.heard([...ROOMS, ...many], ["Bedroom Mini"]);
    await again.areas.settled();
    expect(again.areas.house()).toBeUndefined();
    const third = areasAt(file);
    await third.areas.load();
    expect(third.areas.house()).toBeUndefined();
    expect(third.areas.list()).toEqual(["Mia's Room"]);
  });

  it("reads an earlier version's file of names, their Yotos coming with the next request", async () => {
    const file = path.join(await tempDir("yss-areas-"), "voice-areas.json");
    await writeFile(file, JSON.stringify(["Mia's Room", 5, {area: "Kids Room", yotos: ["Bedroom Mini", 7]}]));
    const {areas, lines} = areasAt(file);
    await areas.load();
    expect(areas.rooms()).toEqual([
      {area: "Mia's Room", devices: []},
      {area: "Kids Room", devices: ["Bedroom Mini"]},
    ]);
    expect(lines).toEqual([]);
  });

  it("says why a file it cannot read is left, and starts without it", async () => {
    const dir = await tempDir("yss-areas-");
    const shapes: Array<[string, string]> = [
      ['{"length": 5}', "are not a list of names"],
      ["[\"Mia's Ro", "could not be read"],
    ];
    for (const [text, why] of shapes) {
      const file = path.join(dir, `${why.length}.json`);
      await writeFile(file, text);
      const {areas, lines} = areasAt(file);
      await areas.load();
      expect(areas.list()).toEqual([]);
      expect(lines.join("\n")).toContain(why);
    }
  });

  it("writes again with the next request after a write failed, though the areas did not change", async () => {
    const dir = path.join(await tempDir("yss-areas-"), "not-yet");
    const file = path.join(dir, "voice-areas.json");
    const {areas, lines} = areasAt(file);
    areas.heard(ROOMS, ["Bedroom Mini"]);
    await areas.settled();
    expect(lines.join("\n")).toContain("the next voice request tries again");
    await mkdir(dir);
    areas.heard(ROOMS, ["Bedroom Mini"]);
    await areas.settled();
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({
      areas: [{area: "Mia's Room", yotos: ["Bedroom Mini"]}],
      house: ["Mia's Room", "Kitchen"],
    });
  });
});
