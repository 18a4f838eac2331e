import {describe, expect, it} from "vitest";
import {demoOnlyFlag, demoPorts} from "../../../src/demo/demoPorts.js";

describe("the demo's own ports", () => {
  it("takes --sim_port and --radio_port (or DEMO_SIM_PORT, DEMO_RADIO_PORT) out of the service's flags", () => {
    expect(demoPorts(["--sim_port", "9100", "--audio_port", "8080", "--radio-port=9101"], {})).toEqual({
      rest: ["--audio_port", "8080"],
      sim: 9100,
      radio: 9101,
    });
    // A flag wins over the environment, as the service's own options do.
    expect(demoPorts(["--sim-port", "9102"], {DEMO_SIM_PORT: "9100", DEMO_RADIO_PORT: "9101"})).toEqual({
      rest: [],
      sim: 9102,
      radio: 9101,
    });
    expect(demoPorts([], {})).toEqual({rest: []});
  });

  it("says what is wrong with a port, and where it came from", () => {
    expect(demoPorts(["--sim_port", "nine"], {})).toEqual({
      error: "sim_port must be a port number from 0 to 65535, 0 for a free one (got 'nine' from flag --sim_port)",
    });
    expect(demoPorts([], {DEMO_RADIO_PORT: "70000"})).toEqual({
      error:
        "radio_port must be a port number from 0 to 65535, 0 for a free one (got '70000' from env DEMO_RADIO_PORT)",
    });
    expect(demoOnlyFlag(["--audio_port", "8080", "--sim-port=9100"])).toBe(
      "--sim_port sets a port of the demo's own servers: give it to the demo (npm run demo -- --sim_port 9100)",
    );
    expect(demoOnlyFlag(["--audio_port", "8080"])).toBeUndefined();
  });
});
