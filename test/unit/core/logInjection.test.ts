import {describe, expect, it} from "vitest";
import {escapeControlCharacters, Logger} from "../../../src/core/logger.js";

function collect() {
  const lines: string[] = [];
  return {lines, log: new Logger({level: "debug", sink: (line) => lines.push(line)})};
}

describe("log lines cannot be forged from outside input", () => {
  it("logs a player name carrying a newline and a fake ERROR line as one line, with the newline visible", () => {
    const {lines, log} = collect();
    const name = "Kitchen\n[2026-01-01 00:00:00] ERROR (ha-bridge): forged";
    log.child("players").info(`Player '${name}' came online`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("\n");
    expect(lines[0]).toMatch(
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] INFO \(players\): Player 'Kitchen\\n\[2026-01-01 00:00:00\] ERROR \(ha-bridge\): forged' came online$/,
    );
  });

  it("escapes carriage returns, ANSI colour codes, C1 controls and Unicode line separators from an MQTT payload", () => {
    const {lines, log} = collect();
    const payload = "a\rb\u001b[31mred\u001b[0m\u0085c\u2028d\u2029e\u0000f\u007fg\th";
    log.warning(`Bad payload on 'yoto/x/set': ${payload}`);
    expect(lines[0]?.split(": ").slice(1).join(": ")).toBe(
      "Bad payload on 'yoto/x/set': a\\rb\\x1b[31mred\\x1b[0m\\x85c\\u2028d\\u2029e\\x00f\\x7fg\\th",
    );
  });

  it("leaves ordinary text, including accents and emoji, as it is", () => {
    expect(escapeControlCharacters("Chambre d'Élodie 🎵 — 50 %")).toBe("Chambre d'Élodie 🎵 — 50 %");
  });

  it("still redacts a secret that arrives next to a newline", () => {
    const {lines, log} = collect();
    log.addSecret("s3cret-token-value");
    log.error("token\ns3cret-token-value\n");
    expect(lines[0]).toMatch(/: token\\n\*\*\*\\n$/);
  });
});
