import {readFileSync} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {ROUTE_NAMES, ROUTE_WORDS} from "../../../src/gate/routeWords.js";
import type {PlayRoute} from "../../../src/gate/types.js";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {START_COMMANDS} from "../../../src/yoto/admission.js";

const DOC = readFileSync(path.join(PACKAGE_ROOT, "docs", "family-plan.md"), "utf8");
const SECTION = DOC.slice(DOC.indexOf("## One gate for every way to play"), DOC.indexOf("## Budgets and bonuses"));

describe("docs/family-plan.md's table of routes", () => {
  it("lists every route the gate knows, in its own words and order, and no other", () => {
    const rows = SECTION.split("\n")
      .filter((line) => line.startsWith("| ") && !line.startsWith("| Route"))
      .map((line) => line.split("|")[1]?.trim());
    expect(rows).toEqual(Object.values(ROUTE_NAMES));
  });

  it("names every command that starts sound", () => {
    for (const command of START_COMMANDS) expect(SECTION).toContain(`\`${command}\``);
  });

  it("quotes journal lines in the gate's words", () => {
    const quoted = SECTION.slice(SECTION.indexOf("```") + 3, SECTION.lastIndexOf("```"));
    const said = (route: PlayRoute, asked: {child?: string; by?: string} = {}) => ROUTE_WORDS[route](asked);
    for (const words of [
      said("voice"),
      said("page", {child: "Mia"}),
      said("shelf_select", {child: "Mia"}),
      said("upnp"),
      said("rule", {by: "bedtime_story"}),
      said("api"),
    ])
      expect(quoted).toContain(`, ${words}, was not played`);
  });
});
