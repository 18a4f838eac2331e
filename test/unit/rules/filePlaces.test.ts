import {describe, expect, it} from "vitest";
import {LineCounter, parseDocument} from "yaml";
import {FilePlaces} from "../../../src/rules/filePlaces.js";

const TEXT = `- id: first
  triggers:
    - trigger: card
      card: abc
- id: second
  condtions: []
  actions:
    - action: log
      message: hi
`;

describe("FilePlaces", () => {
  it("places values and keys the same after the document is let go (it parses the text again)", () => {
    const lines = new LineCounter();
    const doc = parseDocument(TEXT, {lineCounter: lines, prettyErrors: false, uniqueKeys: false});
    const places = new FilePlaces(TEXT, {doc, lines});
    const asked = () => [
      places.at([0]),
      places.at([0, "triggers", 0, "card"]),
      places.at([1, "actions", 0, "message"]),
      places.atKey([1, "condtions"]),
      // A key that is not there points at the deepest node that is.
      places.at([1, "actions", 0, "level"]),
      places.atKey([1, "nothing"]),
    ];
    const before = asked();
    expect(before).toEqual([
      {line: 1, col: 3},
      {line: 4, col: 13},
      {line: 9, col: 16},
      {line: 6, col: 3},
      {line: 8, col: 7},
      {line: 5, col: 3},
    ]);
    places.release();
    expect(asked()).toEqual(before);
    // Never given a document: the first question parses the text.
    expect(new FilePlaces(TEXT).atKey([1, "condtions"])).toEqual({line: 6, col: 3});
  });
});
