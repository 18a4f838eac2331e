import type {Exit} from "../../shared/api/stories.js";

/**
 * A streamed story's card: four chapters ("slots") that this service fills as the story goes. From
 * slot i, left goes to i+1, right to i+2 and the track's end to i+3 (round the four), so every
 * press asks for another slot's URL (a player never re-reads a track it is on) and the slot asked
 * for says which button it was. What each slot plays is the scene the story reached, made then.
 */
export const SLOT_COUNT = 4;
export const SLOT_IDS = Array.from({length: SLOT_COUNT}, (_, i) => `slot-${i}`);
const BUTTONS: readonly Exit[] = ["left", "right", "end"];

/** The slot a button on slot `from` goes to. */
export function slotAfter(from: number, button: Exit): number {
  return (from + BUTTONS.indexOf(button) + 1) % SLOT_COUNT;
}

/** The button that goes from one slot to another; undefined for the same slot (a re-read). */
export function buttonBetween(from: number, to: number): Exit | undefined {
  return BUTTONS[((to - from + SLOT_COUNT) % SLOT_COUNT) - 1];
}
