import {copyFile} from "node:fs/promises";
import path from "node:path";
import {PACKAGE_ROOT} from "../../src/paths.js";
import {tempDir} from "./tmp.js";

/**
 * The files the package ships in `rules/`, by name. A parent may keep their own rule files in that
 * folder, so tests check that these are there and load, never how many files or rules it holds.
 */
export const SHIPPED_RULE_FILES = [
  "bedtime.yaml",
  "cards.yaml",
  "home-assistant.yaml",
  "morning.yaml",
  "parents.yaml",
  "podcasts.yaml",
  "stories.yaml",
];

/** Story documents shipped beside them (the demo plays this one). */
export const SHIPPED_STORY_FILES = ["sleepy-dragon.yaml"];

/** A folder holding only the shipped examples, copied from `rules/`: what the demo runs for a test. */
export async function shippedRulesFolder(): Promise<string> {
  const dir = await tempDir("yss-shipped-rules-");
  for (const file of [...SHIPPED_RULE_FILES, ...SHIPPED_STORY_FILES])
    await copyFile(path.join(PACKAGE_ROOT, "rules", file), path.join(dir, file));
  return dir;
}
