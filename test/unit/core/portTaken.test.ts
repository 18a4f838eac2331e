import {describe, expect, it} from "vitest";
import {portTakenMessage} from "../../../src/core/address.js";

describe("a listener that cannot bind", () => {
  it("names the option that moves a taken fixed port", () => {
    expect(portTakenMessage(8099, "admin-http", "stop what uses it or choose another port with --ingress_port")).toBe(
      "port 8099 is already in use: stop what uses it or choose another port with --ingress_port",
    );
  });

  it("says the machine has no free port left when port 0 (any free one) fails, never another port option", () => {
    expect(portTakenMessage(0, "admin-http", "stop what uses it or choose another port with --ingress_port")).toBe(
      "no free port was left for admin-http: it asks the system for any free one, and this machine has none (too many open connections?): close what holds them, or give admin-http a fixed port",
    );
  });
});
