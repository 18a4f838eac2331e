import {describe, expectTypeOf, it} from "vitest";
import type {Interrupted, AnnounceOutcome as ServiceOutcome} from "../../src/announce/announcer.js";
import type {AnnounceOutcome, AnnounceResumed} from "../../src/http/api.js";

// The panel's copy of the announce route's answer (see src/http/api.ts) must stay the service's own:
// a change on either side fails `tsc` on this file.
describe("announce wire types", () => {
  it("match the announcer's", () => {
    expectTypeOf<AnnounceOutcome>().toEqualTypeOf<ServiceOutcome>();
    expectTypeOf<AnnounceResumed>().toEqualTypeOf<Interrupted>();
  });
});
