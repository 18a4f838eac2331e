import {closestName} from "../core/closest.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {VoiceLanguage} from "./languages/language.js";
import {nameForms, quoted, spokenKey, withoutLeading, withoutTrailing} from "./spokenText.js";

/**
 * A child of the family plan: the players it listens on now (its own, and a shared one it borrows),
 * and its own shared players lent to another child just now (its Yoto still, after the others).
 */
export interface KnownChild {
  name: string;
  playerIds: string[];
  lent?: string[];
}

/** Where a request goes: a child's Yoto or a player; or why it cannot be said. */
export type Target =
  | {kind: "player"; player: PlayerState; child?: string}
  | {kind: "unknown"; name: string}
  | {kind: "which"}
  | {kind: "no_players"}
  | {kind: "child_without_player"; child: string}
  /** Someone an assistant was not given (another child, or a Yoto no child of its own listens on). */
  | {kind: "not_granted"};

/** Who was named, and where the satellite that heard it stands. */
export interface Heard {
  who?: string;
  area?: string | null;
  devices?: readonly string[];
  /** Home Assistant's areas and the devices in each, for a room said by name. */
  rooms?: ReadonlyArray<{area: string; devices: readonly string[]}>;
  /**
   * A request about what plays (what's playing, pause, next, the volume): with nobody named and no
   * room to go by, the one Yoto with a card playing or paused is the one meant, not "which Yoto?".
   */
  aboutWhatPlays?: boolean;
}

const ACTIVE = new Set(["playing", "loading"]);

/**
 * The player a request means. A name is a child (the one of its players playing now, else online,
 * else its first) or a player; "Mia's", "Mias", "the living room" all count. Nobody named: the
 * satellite's area (a Yoto in it, or a room named after a child), else the one child or the one
 * player there is, else the family is asked which.
 */
export function whoIsMeant(
  heard: Heard,
  lang: VoiceLanguage,
  children: readonly KnownChild[],
  players: readonly PlayerState[],
): Target {
  const key = nameKey(heard.who, lang);
  if (key) {
    const target = named(key, spokenBack(heard.who ?? "", lang), children, players, heard.rooms ?? []);
    // A child is a child with no players known yet; any other name has nothing to be.
    return target.kind === "unknown" && players.length === 0 ? {kind: "no_players"} : target;
  }
  if (players.length === 0) return {kind: "no_players"};
  const near = byArea(heard, children, players);
  if (near) return near;
  if (children.length === 1) return childsPlayer(children[0] as KnownChild, players);
  if (players.length === 1)
    return {
      kind: "player",
      player: players[0] as PlayerState,
      child: ownerOf(children, (players[0] as PlayerState).id),
    };
  if (heard.aboutWhatPlays) {
    const busy = players.filter(
      (p) =>
        p.online && p.playback.cardId !== null && (ACTIVE.has(p.playback.status) || p.playback.status === "paused"),
    );
    if (busy.length === 1) {
      const player = busy[0] as PlayerState;
      return {kind: "player", player, child: ownerOf(children, player.id)};
    }
  }
  return {kind: "which"};
}

/**
 * Who a request means for an assistant given some children (`scope`): a name is taken among the
 * whole family and refused when it is another child, or a Yoto none of its children listens on (a
 * room's); nobody named means its one child, or one of its children's Yotos (the one playing),
 * else it asks which of them. Never another child's Yoto by the room or by being the only one.
 */
export function whoIsMeantWithin(
  scope: readonly string[],
  heard: Heard,
  lang: VoiceLanguage,
  children: readonly KnownChild[],
  players: readonly PlayerState[],
): Target {
  // A Yoto another child listens on now (one of its children's, shared and lent) is that child's for now.
  const othersOn = new Set(children.filter((c) => !scope.includes(c.name)).flatMap((c) => c.playerIds));
  if (nameKey(heard.who, lang)) {
    const target = whoIsMeant(heard, lang, children, players);
    if (target.kind === "player" && othersOn.has(target.player.id)) return {kind: "not_granted"};
    if (target.kind === "player" || target.kind === "child_without_player")
      return target.child !== undefined && scope.includes(target.child) ? target : {kind: "not_granted"};
    return target;
  }
  // Its children's own Yotos and those they listen on now; never one lent to another child.
  const own = children.filter((c) => scope.includes(c.name)).map((c) => ({...c, lent: []}));
  const ids = new Set(own.flatMap((c) => c.playerIds));
  const theirs = players.filter((p) => ids.has(p.id));
  const [only] = own;
  // A child renamed or gone since the grant: the assistant acts for no one until a parent gives it again.
  if (!only) return {kind: "not_granted"};
  if (own.length === 1 && theirs.length === 0) return {kind: "child_without_player", child: only.name};
  return whoIsMeant(heard, lang, own, theirs);
}

/** A name as compared: without "the", "my", "Yoto" and the like; empty when nobody is named. */
export function nameKey(who: string | undefined, lang: VoiceLanguage): string {
  return withoutLeading(withoutTrailing(spokenKey(who ?? ""), lang.words.yoto), lang.words.leading);
}

/** Every name a family can say: the children, then the players no child has. */
export function knownNames(children: readonly KnownChild[], players: readonly PlayerState[]): string[] {
  const owned = new Set(children.flatMap((c) => [...c.playerIds, ...(c.lent ?? [])]));
  return [...children.map((c) => c.name), ...players.filter((p) => !owned.has(p.id)).map((p) => p.name)];
}

function named(
  key: string,
  said: string,
  children: readonly KnownChild[],
  players: readonly PlayerState[],
  rooms: NonNullable<Heard["rooms"]>,
): Target {
  const forms = nameForms(key);
  const childKeys = new Map(children.map((c) => [spokenKey(c.name), c]));
  const playerKeys = new Map(players.map((p) => [spokenKey(p.name), p]));
  for (const form of forms) {
    const child = childKeys.get(form);
    if (child) return childsPlayer(child, players);
    const player = playerKeys.get(form) ?? players.find((p) => p.id === form);
    if (player) return {kind: "player", player, child: ownerOf(children, player.id)};
  }
  // "bedroom" for the Bedroom Mini: a player whose name holds the words said, when only one does.
  const holding = players.filter((p) => forms.some((f) => ` ${spokenKey(p.name)} `.includes(` ${f} `)));
  if (holding.length === 1) {
    const player = holding[0] as PlayerState;
    return {kind: "player", player, child: ownerOf(children, player.id)};
  }
  // A Home Assistant area said by name ("the kids' room"): the one Yoto among its devices.
  const room = rooms.find((r) => forms.includes(spokenKey(r.area)));
  if (room) {
    const inRoom = new Set(room.devices.map((d) => spokenKey(d)));
    const there = players.filter((p) => inRoom.has(spokenKey(p.name)));
    if (there.length === 1) {
      const player = there[0] as PlayerState;
      return {kind: "player", player, child: ownerOf(children, player.id)};
    }
  }
  for (const form of forms) {
    const close = closestName(form, childKeys.keys(), heardSlip);
    if (!close) continue;
    // Two children a slip away alike ("Mina" for Mika and Mila): neither is guessed.
    const other = closestName(
      form,
      [...childKeys.keys()].filter((k) => k !== close),
      heardSlip,
    );
    if (other) return {kind: "which"};
    return childsPlayer(childKeys.get(close) as KnownChild, players);
  }
  for (const form of forms) {
    const close = closestName(form, playerKeys.keys(), heardSlip);
    if (close) {
      const player = playerKeys.get(close) as PlayerState;
      return {kind: "player", player, child: ownerOf(children, player.id)};
    }
  }
  return {kind: "unknown", name: said};
}

/** The satellite's area: a Yoto among the devices in it, a player named like it, or a child's room. */
function byArea(heard: Heard, children: readonly KnownChild[], players: readonly PlayerState[]): Target | undefined {
  const devices = new Set((heard.devices ?? []).map((d) => spokenKey(d)));
  const inArea = players.filter((p) => devices.has(spokenKey(p.name)));
  if (inArea.length === 1) {
    const player = inArea[0] as PlayerState;
    return {kind: "player", player, child: ownerOf(children, player.id)};
  }
  const area = spokenKey(heard.area ?? "");
  if (!area) return undefined;
  const words = ` ${area} `;
  const room = players.filter((p) => spokenKey(p.name) === area || words.includes(` ${spokenKey(p.name)} `));
  if (room.length === 1) {
    const player = room[0] as PlayerState;
    return {kind: "player", player, child: ownerOf(children, player.id)};
  }
  // "Mia's Room", "Mias Zimmer": the child whose name the area's first word is.
  const first = area.split(" ")[0] ?? "";
  const forms = nameForms(first);
  const child = children.find((c) => forms.includes(spokenKey(c.name)));
  return child ? childsPlayer(child, players) : undefined;
}

/**
 * How far a heard name may be from a known one: none in a name of three letters ("him" is never Tim,
 * "mom" never Tom), a letter up to six ("Miaa"), two up to ten, a quarter of a longer one.
 */
function heardSlip(length: number): number {
  return length <= 3 ? 0 : length <= 6 ? 1 : length <= 10 ? 2 : Math.floor(length / 4);
}

/** The child's Yoto: among those it listens on, the one playing now, else online, else the first; else one it lent. */
function childsPlayer(child: KnownChild, players: readonly PlayerState[]): Target {
  const find = (ids: readonly string[]) =>
    ids.map((id) => players.find((p) => p.id === id)).filter((p): p is PlayerState => p !== undefined);
  const current = find(child.playerIds);
  const player =
    current.find((p) => p.online && ACTIVE.has(p.playback.status)) ??
    current.find((p) => p.online) ??
    current[0] ??
    find(child.lent ?? [])[0];
  return player ? {kind: "player", player, child: child.name} : {kind: "child_without_player", child: child.name};
}

/** Whose a player is now: the child listening on it (a borrowed shared one too), else the one that lent it. */
function ownerOf(children: readonly KnownChild[], playerId: string): string | undefined {
  return (
    children.find((c) => c.playerIds.includes(playerId))?.name ?? children.find((c) => c.lent?.includes(playerId))?.name
  );
}

/** The name as said, for the answer: "the Zoe's Yoto" is said back as "Zoe". */
function spokenBack(said: string, lang: VoiceLanguage): string {
  const words = said.trim().slice(0, 80).split(/\s+/);
  while (words.length > 1 && lang.words.leading.includes(spokenKey(words[0] as string))) words.shift();
  while (words.length > 1 && lang.words.yoto.includes(spokenKey(words.at(-1) as string))) words.pop();
  const name = words.join(" ").replace(/(?:['’]s|['’])$/i, "");
  return quoted(name || said, 40);
}
