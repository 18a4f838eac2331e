import {describe, expect, it} from "vitest";
import {Cards, type CardsOptions} from "../../../src/cards/cards.js";
import {AppError} from "../../../src/core/errors.js";
import {Logger} from "../../../src/core/logger.js";

// Stories register as Cards' story source in the composition root. Without one (a wiring
// mistake), asking for a story card says so instead of failing on something undefined.
describe("a story card with no story source registered", () => {
  it("is refused with a 503 that says stories are not running", () => {
    // The refusal comes before Cards touches Yoto, the store or the library: none is needed here.
    const cards = new Cards({log: new Logger({level: "error"})} as unknown as CardsOptions);
    let thrown: unknown;
    try {
      void cards.fromStory("sleepy_dragon");
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({
      code: "no_stories",
      status: 503,
      expose: true,
      message: "Stories are not running, so no story card can be made",
    });
  });
});
