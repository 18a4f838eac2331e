/**
 * Work done in steps, so that a big story's export never holds the event loop (issue #86: a
 * 2,000-passage export held it half a second): a generator that yields where it may be paused and
 * returns its result. Run at once for a caller that wants the text (`drained`), or a slice of time
 * at a time between other work (tweeStream.ts). A step is a passage, or this many scenes of a pass
 * over them, so no step is long whatever the story.
 */
export type Steps<T> = Generator<undefined, T, unknown>;

/** At most this many scenes between two places a pass over them may pause. */
export const SCENES_PER_STEP = 100;

/** Whether a pass over scenes may pause before the scene at `index`. */
export function pauseBefore(index: number): boolean {
  return index > 0 && index % SCENES_PER_STEP === 0;
}

/** The result of `steps`, worked out at once. */
export function drained<T>(steps: Generator<unknown, T, unknown>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
