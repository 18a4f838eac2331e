import {describe, expect, it} from "vitest";
import {childSlug, nameClash, savedClashes} from "../../../src/family/childNames.js";

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
});
