import {describe, expect, it} from "vitest";
import {FIT_LU, fitGain, LoudnessLog, MAX_FITS, TARGET_LUFS} from "../../../src/library/loudness.js";

/**
 * A line 8 dB under the target whose peaks reach the limiter once it is 6 dB louder: past that the
 * limiter takes three quarters of every further dB (espeak-ng's "Up." loses about half).
 */
const limited = (gain: number) => -24 + Math.min(gain, 6) + Math.max(gain - 6, 0) / 4;

describe("fitGain", () => {
  it("finds the gain a limited line needs in three tries, each written and measured", async () => {
    const tried: number[] = [];
    const loudness = await fitGain(8, async (gain) => {
      tried.push(gain);
      return limited(gain);
    });
    expect(tried).toHaveLength(MAX_FITS);
    // The first try corrects a dB a dB; the third follows the slope the first two showed.
    expect(tried).toEqual([8, 9.5, 14]);
    expect(Math.abs((loudness as number) - TARGET_LUFS)).toBeLessThanOrEqual(FIT_LU);
  });

  it("stops as soon as a try is on target, and at silence (nothing to make louder)", async () => {
    const tried: number[] = [];
    const nearly = async (gain: number) => {
      tried.push(gain);
      return -16.3;
    };
    expect(await fitGain(4, nearly)).toBe(-16.3);
    expect(tried).toEqual([4]);
    expect(await fitGain(10, async () => undefined)).toBeUndefined();
  });

  it("turns down a line that came out too loud, and never steps more than 6 dB at once", async () => {
    const tried: number[] = [];
    await fitGain(0, async (gain) => {
      tried.push(gain);
      return gain - 6;
    });
    expect(tried).toEqual([0, -6, -10]);
    const far: number[] = [];
    await fitGain(0, async (gain) => {
      far.push(gain);
      return -60 + gain * 0.01;
    });
    expect(far).toEqual([0, 6, 12]);
  });
});

describe("LoudnessLog", () => {
  it("reads the last summary of each labelled ebur128, silence as no loudness", () => {
    const log = new LoudnessLog();
    const lines = [
      "[ebur128@out @ 0x55d0c0ffee00] [info] Summary:",
      "",
      "  Integrated loudness:",
      "    I:         -70.0 LUFS",
      "[info] Stream mapping:",
      "[ebur128@out @ 0x55d0c0ffee00] [info] Summary:",
      "  Integrated loudness:",
      "    I:         -16.4 LUFS",
      "  True peak:",
      "    Peak:       -2.4 dBFS",
      "[ebur128@file @ 0x55d0c0ffee08] [info] Summary:",
      "    I:         -70.0 LUFS",
      "    Peak:       -inf dBFS",
    ];
    for (const line of lines) log.line(line);
    expect(log.measured).toEqual({out: {integrated: -16.4, truePeak: -2.4}, file: {}});
  });
});
