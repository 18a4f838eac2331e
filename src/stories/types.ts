/** What following players through stories tells the rest of the app. */
declare module "../core/events.js" {
  interface EventMap {
    /**
     * A press inferred from a story card's chapter change (or a track running out: `end`): `scene` is
     * where it was pressed, `to` where it led.
     */
    "player.button": {
      playerId: string;
      player: string;
      button: "left" | "right" | "end";
      cardId?: string;
      story?: string;
      scene?: string;
      to?: string;
    };
    /** A player starts a story (no `from`) or moves to another scene of it. */
    "story.sceneEntered": {
      playerId: string;
      player: string;
      story: string;
      scene: string;
      cardId?: string;
      from?: string;
      button?: "left" | "right" | "end";
    };
  }
}

export {};
