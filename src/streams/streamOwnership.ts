import {AppError} from "../core/errors.js";
import type {QueueInput} from "./fills.js";
import type {PlayMode, StreamState} from "./model.js";

/** A change to a stream as its owner judges it, with the queue positions it names. */
export type QueueEdit =
  | {kind: "replace"; items: readonly QueueInput[]}
  | {kind: "add"; index: number | undefined}
  | {kind: "remove"; index: number}
  | {kind: "move"; from: number; to: number}
  | {kind: "radio"};

/**
 * Something that writes a stream's queue itself (a feed, at every refresh). A change from anyone
 * else that its next write would undo is refused with why and what to do instead; one it would
 * only move is made where it stays (an item added in front of a feed's episodes). Every front door
 * (HTTP, rule actions, MQTT) edits through Streams, so each gets the same answer.
 */
export interface StreamOwner {
  owns(stream: string): boolean;
  /** The edit as it may be made to `items` (the queue now); throws when it is refused. */
  judge<E extends QueueEdit>(stream: string, edit: E, items: readonly string[]): E;
}

/** What an owner writes to its own streams, past its own judgement. */
export interface OwnerWrites {
  replace(name: string, ids: readonly string[], mode?: PlayMode): Promise<StreamState>;
  /** Take an item out wherever it is now (found by id rather than by a position another edit may have moved). */
  removeItem(name: string, id: string): Promise<StreamState>;
}

/** The owners Streams asks before a change: the first that owns a stream decides. */
export class StreamOwners {
  readonly #owners: StreamOwner[] = [];

  add(owner: StreamOwner): void {
    this.#owners.push(owner);
  }

  judge<E extends QueueEdit>(stream: string, edit: E, items: readonly string[]): E {
    const owner = this.#owners.find((o) => o.owns(stream));
    return owner ? owner.judge(stream, edit, items) : edit;
  }
}

/** A station has no queue: an edit meant for one is refused with the way to make it a queue again. */
export function playsRadio(name: string): AppError {
  return new AppError(
    "plays_radio",
    `Stream '${name}' plays a radio station and has no queue: send {"radio": null} to PUT /api/streams/${name} first to make it a queue again`,
    {status: 409},
  );
}
