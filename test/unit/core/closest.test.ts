import {describe, expect, it} from "vitest";
import {closestName, didYouMean} from "../../../src/core/closest.js";

describe("closest names for 'did you mean'", () => {
  it("finds the name a typo meant, ignoring case, '-' and '_'", () => {
    const options = ["audio_port", "ingress_port", "media_dirs", "log_level"];
    expect(closestName("audioport", options)).toBe("audio_port");
    expect(closestName("Audio-Port", options)).toBe("audio_port");
    expect(closestName("media_dir", options)).toBe("media_dirs");
    expect(closestName("condtions", ["conditions", "actions", "triggers"])).toBe("conditions");
    expect(didYouMean("tigger", ["trigger", "triggers"])).toBe(" (did you mean 'trigger'?)");
  });

  it("suggests nothing when nothing is close, and stays bounded on long input", () => {
    expect(closestName("colour", ["audio_port", "ingress_port"])).toBeUndefined();
    expect(didYouMean("", ["a"])).toBe("");
    const started = performance.now();
    expect(closestName("x".repeat(100_000), ["audio_port"])).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
