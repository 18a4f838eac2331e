import {readFileSync} from "node:fs";
import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {type FamilyHeard, type FamilySays, sayToFamily, startFamily} from "../../helpers/familyVoice.js";
import {hassilPython} from "../../helpers/hassil.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";

const startLinked = linkedBridge();
const hassil = hassilPython();
const FIXTURES = path.join(PACKAGE_ROOT, "test/fixtures/voice");

interface CorpusSet {
  name: string;
  dev: FamilySays[];
  heldOut: FamilySays[];
}

const read = (file: string) => JSON.parse(readFileSync(path.join(FIXTURES, file), "utf8"));

/**
 * The sentence sets the grammar is measured on, none written by the project (test/fixtures/voice):
 * Home Assistant's intents tests and SLURP's devel split, adapted to the test family, each with a
 * third set aside before the grammar changed; and a list written blind, all of it held out.
 */
function corpora(code: string): CorpusSet[] {
  const sets: CorpusSet[] = [
    {name: `blind-${code}`, dev: [], heldOut: read(`heldOut/blind-${code}.json`)},
    {name: `intents-${code}`, ...pick(read(`corpora/intents-${code}.json`))},
  ];
  if (code === "en") sets.push({name: "slurp-en", ...pick(read("corpora/slurp-en.json"))});
  return sets;
}

/**
 * Where the held-out share stands now, a ratchet: it may only rise. The goal is 0.9 in both
 * languages (issue #100); the figures are in the README's voice section.
 */
const HELD_OUT_FLOOR: Record<string, number> = {en: 0.9, de: 0.9};

const pick = (file: {dev: FamilySays[]; heldOut: FamilySays[]}) => ({dev: file.dev, heldOut: file.heldOut});

/** Right: the one trigger fired, and the answer is about the right Yoto, with the right card for a play. */
const right = (heard: FamilyHeard[]) => heard.filter((h) => !h.wrong).length;

const figures: Record<string, {split: string; right: number; of: number}[]> = {};

afterAll(async () => {
  if (Object.keys(figures).length === 0) return;
  const dir = path.join(PACKAGE_ROOT, "test-artifacts");
  await mkdir(dir, {recursive: true});
  await writeFile(path.join(dir, "voice-corpora.json"), `${JSON.stringify(figures, null, 2)}\n`);
});

describe.skipIf(!hassil.python)("sentences the project did not write, as Home Assistant hears them", () => {
  it.each(["en", "de"])(
    "(%s) reach the right trigger, Yoto and title, held out at or above where they stand",
    async (code) => {
      const service = await startFamily(startLinked);
      const rows: {split: string; right: number; of: number}[] = [];
      const missed: string[] = [];
      let heldRight = 0;
      let heldOf = 0;
      for (const set of corpora(code))
        for (const split of ["dev", "heldOut"] as const) {
          const says = set[split];
          if (says.length === 0) continue;
          const heard = await sayToFamily(hassil.python as string, service, code, says);
          rows.push({split: `${set.name} ${split}`, right: right(heard), of: says.length});
          if (split === "heldOut") {
            heldRight += right(heard);
            heldOf += says.length;
          }
          for (const h of heard)
            if (h.wrong) missed.push(`${set.name} ${split}: ${h.say.say} (${h.say.trigger}): ${h.wrong}`);
        }
      rows.push({split: "all held out", right: heldRight, of: heldOf});
      figures[code] = rows;
      console.log(
        `${code}\n${rows.map((r) => `  ${r.split}: ${r.right} of ${r.of}`).join("\n")}\n${missed.join("\n")}`,
      );
      expect(heldRight / heldOf, missed.join("\n")).toBeGreaterThanOrEqual(HELD_OUT_FLOOR[code] as number);
    },
    600_000,
  );
});
