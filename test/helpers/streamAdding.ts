import type {App} from "../../src/app/app.js";
import type {StreamAddingEvent} from "../../src/shared/api/streams.js";

/**
 * Resolves once nothing is on its way into stream `name` any more: with its last `stream.addProgress`,
 * or null at once when nothing was. Asked and subscribed in the same turn, so no event slips by.
 */
export function untilAdded(app: App, name: string): Promise<StreamAddingEvent | null> {
  return new Promise((resolve) => {
    if (!app.streams.adding(name)?.under_way) {
      resolve(null);
      return;
    }
    const owner = {};
    app.bus.on(owner, "stream.addProgress", (event) => {
      if (event.stream !== name || event.under_way) return;
      app.bus.off(owner);
      resolve(event);
    });
  });
}
