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
 * A change to a stream beside its queue's positions: its mode, a shuffle, its presets, clearing it,
 * making it follow a feed. An owner that keeps the whole stream its own (a child's story radio)
 * refuses these too; the others let them be.
 */
export type StreamWrite = {kind: "mode" | "shuffle" | "preset" | "clear" | "feed"};

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
  /** Every other write to the stream (its mode, presets, …): throws when it is refused. Without it, all are made. */
  judgeWrite?(stream: string, write: StreamWrite): void;
  /**
   * Names kept for this owner's streams (a child's story radio: `story-radio-…`): no one else makes
   * or writes a stream so named, not even before this owner has it; `refuse` says why and what to
   * name it instead. Deleting one stays open to all.
   */
  reserves?: {prefix: string; refuse(stream: string): AppError};
}

/** What an owner writes to its own streams, past its own judgement. */
export interface OwnerWrites {
  /**
   * `whole`: the stream becomes only this queue and mode (its presets gone, a station a queue
   * again), as an owner that keeps all of it writes it back after anything drifted.
   */
  replace(name: string, ids: readonly string[], mode?: PlayMode, opts?: {whole?: boolean}): Promise<StreamState>;
  /** Take an item out wherever it is now (found by id rather than by a position another edit may have moved). */
  removeItem(name: string, id: string): Promise<StreamState>;
  /** Whether another owner (a feed) writes the stream now: it would refuse this owner's writes. */
  othersOwn(name: string): boolean;
}

/** The owners Streams asks before a change: the first that owns a stream decides. */
export class StreamOwners {
  readonly #owners: StreamOwner[] = [];

  add(owner: StreamOwner): void {
    this.#owners.push(owner);
  }

  /** `writer`: an owner writing itself, judged only by another owner of the stream (a feed told to follow a story radio). */
  judge<E extends QueueEdit>(stream: string, edit: E, items: readonly string[], writer?: StreamOwner): E {
    const owner = this.ownerOf(stream);
    this.#kept(stream, owner, writer);
    return owner && owner !== writer ? owner.judge(stream, edit, items) : edit;
  }

  judgeWrite(stream: string, write: StreamWrite): void {
    const owner = this.ownerOf(stream);
    this.#kept(stream, owner);
    owner?.judgeWrite?.(stream, write);
  }

  ownerOf(stream: string): StreamOwner | undefined {
    return this.#owners.find((o) => o.owns(stream));
  }

  /** A name kept for another owner's streams: refused unless that owner has it already or writes it itself. */
  #kept(stream: string, owner: StreamOwner | undefined, writer?: StreamOwner): void {
    const keeper = this.#owners.find((o) => o.reserves && stream.startsWith(o.reserves.prefix));
    if (keeper?.reserves && owner !== keeper && writer !== keeper) throw keeper.reserves.refuse(stream);
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
