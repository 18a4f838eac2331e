/** `/api/virtual`: the demo's simulated players, which the panel shows as players you hold. */

/** A simulated player the panel can show as a player you hold (the demo's virtual players). */
export interface VirtualPlayerView {
  id: string;
  name: string;
}

/**
 * The hands on the demo's virtual players: what a child does to a real one. Only the demo passes
 * these in; with none, the list is empty and every action is a 404.
 */
export interface VirtualHands {
  list(): VirtualPlayerView[];
  /** False when the press does nothing (no card, or the card has no action for it). */
  press(id: string, button: "left" | "right"): boolean;
  turnKnob(id: string, steps: number): void;
  /** False when the account has no such card. */
  insertCard(id: string, cardId: string): boolean;
  removeCard(id: string): void;
  finishTrack(id: string): void;
}
