import {describe, expect, it} from "vitest";
import {placeTablet} from "../../../ui/src/child/child-place.js";

const BEN = {token: "ben-credential-0123456789", child: "Ben"};
const MIA = "mia-credential-0123456789";

describe("where a tablet's child page opens", () => {
  it.each([
    ["its own link at its child's address: stays", {here: "Ben", kept: BEN}, {}],
    ["its own link at another child's address: its child's page", {here: "Mia", kept: BEN}, {goTo: "Ben"}],
    [
      "its own link given again at another child's address: still its child's",
      {here: "Mia", given: BEN.token, kept: BEN},
      {goTo: "Ben"},
    ],
    ["its own link at the children's list: its child's page", {kept: BEN}, {goTo: "Ben"}],
    [
      "a new link: taken for the address's child (the service corrects it)",
      {here: "Mia", given: MIA, kept: BEN},
      {keep: {token: MIA, child: "Mia"}},
    ],
    ["a new link with no child in the address: not taken", {given: MIA}, {}],
    ["a parent's lock on another child: that child's page", {here: "Mia", locked: "Ben"}, {goTo: "Ben"}],
    ["a link wins over a lock", {here: "Ben", kept: BEN, locked: "Mia"}, {}],
    ["nothing kept: the address's page", {here: "Mia"}, {}],
  ])("%s", (_, at, place) => {
    expect(placeTablet(at)).toEqual({keep: undefined, goTo: undefined, ...place});
  });
});
