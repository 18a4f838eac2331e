import type {ReactiveController, ReactiveControllerHost} from "lit";
import {type ChildrenList, getChildren} from "./family.js";
import type {LiveEventName, LiveEvents} from "./live.js";
import {LiveResource} from "./resource.js";

/**
 * Listening changes a child's minutes with every report of a playing player (a few seconds
 * apart): views that only show the numbers beside something else load them at most this often.
 */
export const CHILDREN_DEBOUNCE_MS = 1000;

const NO_CHILDREN: ChildrenList = {children: [], timeZone: "", listeners: []};

/** Calls `reload` once the events have been quiet for `ms`: a burst of them is one request. */
class DebouncedReload implements ReactiveController {
  #off: Array<() => void> = [];
  #timer?: number;

  constructor(
    host: ReactiveControllerHost,
    private readonly live: () => LiveEvents | undefined,
    private readonly events: LiveEventName[],
    private readonly reload: () => void,
    private readonly ms: number,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const live = this.live();
    if (!live) return;
    const later = () => {
      window.clearTimeout(this.#timer);
      this.#timer = window.setTimeout(this.reload, this.ms);
    };
    this.#off = this.events.map((event) => live.on(event, later));
  }

  hostDisconnected(): void {
    for (const off of this.#off) off();
    this.#off = [];
    window.clearTimeout(this.#timer);
  }
}

/**
 * The family plan's children for a view that shows them alongside its own data (a player's card,
 * the history chart): loaded when the view connects, and again a second after `family.changed`
 * or `history.changed` settle. Without a plan (or when it is not running) the list is empty: the
 * view shows what it has without the children's numbers, and no error.
 */
export function followChildren(
  host: ReactiveControllerHost,
  live: () => LiveEvents | undefined,
  opts: {afterPaint?: boolean} = {},
) {
  const resource = new LiveResource<ChildrenList>(host, {
    load: () => getChildren().catch(() => NO_CHILDREN),
    live,
    afterPaint: opts.afterPaint,
  });
  new DebouncedReload(host, live, ["family.changed", "history.changed"], () => resource.reload(), CHILDREN_DEBOUNCE_MS);
  return resource;
}
