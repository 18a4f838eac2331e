import {describe, expect, it} from "vitest";
import {closestName, didYouMean} from "../../../src/core/closest.js";
import {readsInLinearTime} from "../../helpers/linearTime.js";

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
    const long = (n: number) => "x".repeat(n);
    expect(readsInLinearTime(long, (name) => closestName(name, ["audio_port"]), 100_000)).toBeUndefined();
  });
});
