declare module "../core/events.js" {
  interface EventMap {
    /** An assistant was made, approved or revoked, or an OAuth client asks a parent: the Assistants view reads again. */
    "assistants.changed": {id?: string};
    /** An assistant stopped being allowed (revoked, saved first): what it holds open closes. */
    "assistant.revoked": {id: string};
  }
}

export {};
