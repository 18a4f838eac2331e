declare module "../core/events.js" {
  interface EventMap {
    /**
     * A device link stopped opening its child's page: a parent revoked it (saved first), or its
     * child left the family plan. What the link still holds open (its live events) closes.
     */
    "device.revoked": {id: string; child: string};
  }
}

export {};
