import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {CardGroups, groupOptions, parseCardGroups, pickFromGroup} from "../../../src/yoto/cardGroups.js";

const RAW = [
  {id: "g1", name: "Bedtime", familyId: "f", items: [{contentId: "aaaaa", addedAt: "x"}, {contentId: "bbbbb"}, {}]},
  {id: "g2", name: " Car ", items: []},
  {id: "", name: "No id", items: []},
  {id: "g4", items: []},
  {id: "g5", name: "No items"},
  "nonsense",
];

describe("family library groups", () => {
  it("reads both envelopes Yoto's clients have seen, and says which groups it left out", () => {
    const fromArray = parseCardGroups(RAW);
    expect(fromArray.groups).toEqual([
      {id: "g1", name: "Bedtime", cardIds: ["aaaaa", "bbbbb"]},
      {id: "g2", name: "Car", cardIds: []},
    ]);
    expect(fromArray.skipped).toEqual([
      "group 3 'No id' has no id",
      "group 4 has no name",
      "group 5 'No items' has no items list",
      "group 6 has no id",
    ]);
    expect(parseCardGroups({groups: RAW}).groups).toEqual(fromArray.groups);
    expect(() => parseCardGroups({cards: []})).toThrow("Yoto's answer for the card groups holds no list of groups");
  });

  it("picks at random but never the card that played last, unless it is the only one", () => {
    const group = {id: "g", name: "Bedtime", cardIds: ["a", "b", "c"]};
    const picked = new Set<string>();
    for (let i = 0; i < 300; i++) picked.add(pickFromGroup(group, "random", "b"));
    expect([...picked].sort()).toEqual(["a", "c"]);
    expect(pickFromGroup({...group, cardIds: ["a"]}, "random", "a")).toBe("a");
    expect(pickFromGroup(group, "first", "a")).toBe("a");
    expect(pickFromGroup(group, "random", undefined, () => 0.99)).toBe("c");
    expect(() => pickFromGroup({...group, cardIds: []}, "random")).toThrow(
      "The group 'Bedtime' has no cards: add some in the Yoto app",
    );
  });

  it("tells two groups of one name apart in a picker, and finds each back", async () => {
    const groups = [
      {id: "g1", name: "Bedtime", items: []},
      {id: "g2", name: "bedtime", items: []},
      {id: "g3", name: "Car", items: []},
    ];
    const parsed = parseCardGroups(groups).groups;
    expect(groupOptions(parsed)).toEqual(["Bedtime (g1)", "bedtime (g2)", "Car"]);
    const known = new CardGroups({read: async () => groups, log: new Logger({level: "error"})});
    expect((await known.find("bedtime (g2)")).id).toBe("g2");
    expect((await known.find("CAR")).id).toBe("g3");
    expect((await known.find("g1")).id).toBe("g1");
    await expect(known.find("Cra")).rejects.toThrow("No card group called 'Cra': did you mean 'Car'?");
    await expect(known.find("Holidays")).rejects.toThrow(
      "No card group called 'Holidays': the family's groups are 'Bedtime', 'bedtime', 'Car'",
    );
    const none = new CardGroups({read: async () => [], log: new Logger({level: "error"})});
    await expect(none.find("Bedtime")).rejects.toThrow(
      "No card group called 'Bedtime': the family has no groups yet (make them in the Yoto app)",
    );
    const failing = new CardGroups({
      read: async () => Promise.reject(new Error("403 Forbidden")),
      log: new Logger({level: "error"}),
    });
    await expect(failing.list()).rejects.toThrow(
      "The family's card groups could not be read from Yoto (403 Forbidden)",
    );
  });
});
