import {describe, expect, it} from "vitest";
import {
  checkChildName,
  childKey,
  childSlug,
  nameClash,
  nameSkeleton,
  savedClashes,
} from "../../../src/family/childNames.js";

describe("children's names as ids", () => {
  it("makes ids from names, with a code of their own for names in another script", () => {
    expect(childSlug("Zoë-Ann")).toBe("zoe_ann");
    expect(childSlug("O'Brien")).toBe("o_brien");
    // The code is the name's, so it is the same on every start and differs between children.
    expect(childSlug("Маша")).toBe("child_64a4e1");
    expect(childSlug("маша")).toBe("child_64a4e1");
    expect(childSlug("Саша")).toMatch(/^child_[0-9a-f]{6}$/);
    expect(childSlug("Саша")).not.toBe(childSlug("Маша"));
  });

  it("names the clash, and names pairs saved before clashes were refused", () => {
    expect(nameClash("O Brien", ["Mia", "O'Brien"])).toMatchObject({
      status: 409,
      code: "name_clash",
      message:
        "'O Brien' would share Home Assistant ids with the child 'O'Brien' (both 'o_brien'): choose another name",
    });
    expect(nameClash("o'brien", ["O'Brien"])).toBeUndefined();
    expect(savedClashes(["O'Brien", "Mia", "O Brien"])).toEqual([
      "The children 'O'Brien' and 'O Brien' share Home Assistant ids ('o_brien'): only one of them has entities; delete 'O Brien' and add the child again under another name",
    ]);
  });

  it("takes names as one Unicode form, with the marks some scripts need, and never an invisible character", () => {
    expect(checkChildName(" Zoe\u0308   Ann ")).toBe("Zo\u00eb Ann");
    // Devanagari's vowel signs are marks: "Anika" in Hindi is a name.
    expect(checkChildName("अनिका")).toBe("अनिका");
    expect(childKey("ZOE\u0308 ANN")).toBe(childKey("zo\u00eb  ann"));
    for (const [name, shown] of [
      ["\ufeffMia", "U+FEFF at character 1"],
      ["Mi\u200da", "U+200D at character 3"],
      ["Mi\u034fa", "U+034F at character 3"],
      ["Mia\u202e", "U+202E at character 4"],
    ] as const)
      expect(() => checkChildName(name)).toThrow(
        `A child's name cannot hold invisible characters (${shown}): type the name again without it`,
      );
  });

  it("reads names as a reader would: case, accents, width and look-alike letters make no other name", () => {
    expect(nameSkeleton("Zoë-Ann")).toBe("zoe-ann");
    expect(nameSkeleton("ＭＩＡ")).toBe("mia");
    expect(nameSkeleton("\u041c\u0456\u0430")).toBe("mia");
    expect(nameSkeleton("O’Brien")).toBe(nameSkeleton("o'brien"));
    expect(nameSkeleton("Маша")).not.toBe(nameSkeleton("Саша"));
    // The look-alike is named wherever it is: in the new name or in the child already there.
    expect(nameClash("Mia", ["\u041c\u0456\u0430"])?.message).toBe(
      "'Mia' reads the same as the child 'Міа' (the 'М' in 'Міа' is U+041C, a letter of another alphabet that looks like 'm'): choose a name that reads differently",
    );
    expect(nameClash("Leo", ["Mia", "Zoë"])).toBeUndefined();
    // A 10,000-character name is read in one pass.
    expect(nameSkeleton("а".repeat(10_000))).toBe("a".repeat(10_000));
  });
});
