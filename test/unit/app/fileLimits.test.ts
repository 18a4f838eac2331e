import {describe, expect, it} from "vitest";
import {fileLimitWarning} from "../../../src/app/fileLimits.js";

const budget = {audio: 600, admin: 150, broker: 150};
const seen = "connections are capped to fit (600 audio, 150 admin, 150 MQTT)";

describe("the start warning about open files", () => {
  it("says nothing at the comfortable limit or above", () => {
    expect(fileLimitWarning({soft: 4096, hard: 4096, budget})).toBeUndefined();
    expect(fileLimitWarning({soft: Number.POSITIVE_INFINITY, hard: Number.POSITIVE_INFINITY, budget})).toBeUndefined();
  });

  it("advises the hard limit when it is higher, as a plain user may ask for it", () => {
    expect(fileLimitWarning({soft: 1024, hard: 524288, budget})).toBe(
      `This process may open only 1024 files (hard limit 524288); ${seen}: raise it with 'ulimit -n 65536' before starting`,
    );
    expect(fileLimitWarning({soft: 1024, hard: 2048, budget})).toMatch(
      /raise it with 'ulimit -n 2048' before starting$/,
    );
  });

  it("never advises the limit already in force: at the hard limit it says who can raise both", () => {
    const warning = fileLimitWarning({soft: 1024, hard: 1024, budget});
    expect(warning).toBe(
      `This process may open only 1024 files (hard limit 1024); ${seen}: the hard limit allows no more, so raise both to 4096 or more: 'ulimit -Hn 4096 && ulimit -n 4096' as root, LimitNOFILE=4096 for a systemd service, or --ulimit nofile=4096 for Docker`,
    );
    expect(warning).not.toContain("ulimit -n 1024");
  });
});
