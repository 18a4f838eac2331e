import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";

function collect(level: "debug" | "info" | "warning" | "error" = "info") {
  const lines: string[] = [];
  return {lines, log: new Logger({level, sink: (line) => lines.push(line)})};
}

describe("Logger", () => {
  it("writes the add-on log format with the namespace", () => {
    const {lines, log} = collect();
    log.child("library").child("scan").info("Library scanned");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] INFO \(library:scan\): Library scanned$/);
  });

  it("drops lines below the level and never builds lazy messages it drops", () => {
    const {lines, log} = collect("warning");
    let built = 0;
    log.debug(() => {
      built++;
      return "expensive";
    });
    log.info("ignored");
    log.warning("kept");
    expect(built).toBe(0);
    expect(lines.map((l) => l.split(": ")[1])).toEqual(["kept"]);
  });

  it("redacts registered secrets everywhere, including in child loggers", () => {
    const {lines, log} = collect();
    log.addSecret("s3cret-token-value");
    log.addSecret("ab"); // too short to redact safely
    log.child("mqtt").error("Login failed for password s3cret-token-value (ab)");
    expect(lines[0]).toContain("Login failed for password *** (ab)");
    expect(lines[0]).not.toContain("s3cret");
  });
});
