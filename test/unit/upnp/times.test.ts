import {describe, expect, it} from "vitest";
import {parseUpnpTime, upnpTime} from "../../../src/upnp/times.js";

// UPnP AVTransport 1.0 (§2.2.14-2.2.17: CurrentTrackDuration, RelativeTimePosition…) and
// ContentDirectory's res@duration write times as H+:MM:SS[.F+]: minutes and seconds two digits.
describe("the one writer of AVTransport's times", () => {
  it.each([
    [0, 0, "0:00:00"],
    [5, 0, "0:00:05"],
    [45 * 60, 0, "0:45:00"],
    [59.999, 0, "0:00:59"],
    [60, 0, "0:01:00"],
    [3599, 0, "0:59:59"],
    [3600, 0, "1:00:00"],
    [10 * 3600 + 5 * 60 + 7, 0, "10:05:07"],
    [123 * 3600, 0, "123:00:00"],
    [12.5, 3, "0:00:12.500"],
    [59.9996, 3, "0:01:00.000"],
    [3.3, 1, "0:00:03.3"],
    [0.05, 2, "0:00:00.05"],
    [undefined, 0, "0:00:00"],
    [-4, 0, "0:00:00"],
    [Number.NaN, 3, "0:00:00.000"],
    [Number.POSITIVE_INFINITY, 0, "0:00:00"],
  ] as const)("writes %s s with %s fraction digits as %s", (seconds, fraction, text) => {
    expect(upnpTime(seconds, fraction)).toBe(text);
  });

  it.each([
    ["0:45:0", 2700],
    ["0:45:00", 2700],
    ["00:45:00", 2700],
    ["45:00", 2700],
    ["1:02:03.500", 3723],
    ["1:02:03.1/2", 3723],
    [" 0:00:12 ", 12],
    ["0:60:00", undefined],
    ["0:00:60", undefined],
    ["soon", undefined],
    ["1:2:3:4", undefined],
  ] as const)("reads %j as %s s", (text, seconds) => {
    expect(parseUpnpTime(text)).toBe(seconds);
  });

  it("writes back every time it reads in the zero-padded form", () => {
    for (const text of ["0:45:0", "0:5:7", "3:1:2", "7:08"])
      expect(upnpTime(parseUpnpTime(text))).toMatch(/^\d+:[0-5]\d:[0-5]\d$/);
    expect(upnpTime(parseUpnpTime("0:45:0"))).toBe("0:45:00");
  });
});
