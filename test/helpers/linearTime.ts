import {expect} from "vitest";

/** Ten times the input; linear time takes about ten times as long, time growing with its square a hundred. */
const SCALE = 10;
/** What the whole input may take, in tenths' times: well above linear's 10, well below the square's 100. */
const GROWTH = 40;
/** A tenth read faster than this counts as this long: timer grain and a stray pause matter below it. */
const FLOOR_MS = 5;
/** Reads of the whole input, the quickest of them counted: one that the machine paused is read again. */
const TRIES = 3;

/** The processor time `read` took, not the time on the clock: a machine busy with other work delays a read without lengthening it. */
function timed<T>(read: () => T): {result: T; ms: number} {
  const started = process.cpuUsage();
  const result = read();
  const {user, system} = process.cpuUsage(started);
  return {result, ms: (user + system) / 1000};
}

/**
 * Reads `make(n)` and fails when it took more than GROWTH times the processor time a tenth of it took
 * (`make(n / 10)`, measured just before, the quickest of three): a ratio of two runs side by side in
 * processor time, which other programs on a busy machine do not lengthen, and time growing with the
 * square of the size (a hundred times as long at ten times the size) still fails. The inputs are made before the clock starts. Returns
 * what reading the whole input gave, for the test's own checks.
 */
export function readsInLinearTime<I, T>(make: (n: number) => I, read: (input: I) => T, n: number): T {
  const tenth = make(Math.max(1, Math.round(n / SCALE)));
  const whole = make(n);
  const baseline = Math.min(...Array.from({length: 3}, () => timed(() => read(tenth)).ms));
  const bound = GROWTH * Math.max(baseline, FLOOR_MS);
  let best = timed(() => read(whole));
  for (let tries = 1; best.ms >= bound && tries < TRIES; tries++) {
    const again = timed(() => read(whole));
    if (again.ms < best.ms) best = again;
  }
  expect(
    best.ms,
    `the whole input took ${best.ms.toFixed(0)} ms, a tenth of it ${baseline.toFixed(1)} ms`,
  ).toBeLessThan(bound);
  return best.result;
}
