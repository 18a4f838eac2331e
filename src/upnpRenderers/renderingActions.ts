import {errorMessage} from "../core/errors.js";
import {actionFailed, invalidArgs, UpnpError} from "../upnp/soap.js";
import {VOLUME_PERCENTS, VOLUME_STEPS} from "../yoto/playerModel.js";
import type {Renderer} from "./renderer.js";
import type {Out} from "./transportActions.js";

type Action = (r: Renderer, args: Record<string, string>) => Promise<Out>;

/** RenderingControl: the Master channel's volume (0–100 onto the player's 16 steps) and mute. */
export const RENDERING_ACTIONS: Record<string, Action> = {
  async GetVolume(r, args) {
    master(args);
    return {CurrentVolume: r.variables("RenderingControl").Volume ?? "0"};
  },

  async SetVolume(r, args) {
    master(args);
    const text = (args.DesiredVolume ?? "").trim();
    if (!/^\d{1,3}$/.test(text) || Number(text) > 100)
      throw new UpnpError(601, `DesiredVolume must be a whole number from 0 to 100, not '${text.slice(0, 20)}'`);
    const player = r.player();
    // The nearest step, never above the max volume in force (quiet hours hold it at 0).
    const level = Math.min(Math.round((Number(text) / 100) * VOLUME_STEPS), player.volume.max ?? VOLUME_STEPS);
    try {
      await r.deps.players.command(r.playerId, {command: "volume", percent: VOLUME_PERCENTS[level] as number});
    } catch (err) {
      throw actionFailed(`${r.identity.name} did not take the volume: ${errorMessage(err)}`);
    }
    r.changed();
    return {};
  },

  async ListPresets() {
    return {CurrentPresetNameList: "FactoryDefaults"};
  },

  /** FactoryDefaults: unmuted, at half volume (never above the max in force), as a player comes out of its box. */
  async SelectPreset(r, args) {
    if (args.PresetName !== "FactoryDefaults")
      throw new UpnpError(701, `There is no preset '${(args.PresetName ?? "").slice(0, 30)}': only FactoryDefaults`);
    const player = r.player();
    const level = Math.min(VOLUME_STEPS / 2, player.volume.max ?? VOLUME_STEPS);
    try {
      await r.deps.players.command(r.playerId, {command: "volume", percent: VOLUME_PERCENTS[level] as number});
    } catch (err) {
      throw actionFailed(`${r.identity.name} did not take the volume: ${errorMessage(err)}`);
    }
    r.changed();
    return {};
  },

  async GetMute(r, args) {
    master(args);
    return {CurrentMute: r.deps.mutes.muted(r.playerId) ? "1" : "0"};
  },

  async SetMute(r, args) {
    master(args);
    const wanted = booleanOf(args.DesiredMute ?? "");
    try {
      if (wanted) await r.deps.mutes.mute(r.playerId);
      else await r.deps.mutes.unmute(r.playerId);
    } catch (err) {
      throw actionFailed(`${r.identity.name} could not be ${wanted ? "muted" : "unmuted"}: ${errorMessage(err)}`);
    }
    r.changed();
    return {};
  },
};

/** ConnectionManager: one fixed connection (0) whose sink is the audio this service can play. */
export const CONNECTION_ACTIONS: Record<string, Action> = {
  async GetProtocolInfo(r) {
    const v = r.variables("ConnectionManager");
    return {Source: v.SourceProtocolInfo ?? "", Sink: v.SinkProtocolInfo ?? ""};
  },

  async GetCurrentConnectionIDs() {
    return {ConnectionIDs: "0"};
  },

  async GetCurrentConnectionInfo(_r, args) {
    if (args.ConnectionID !== "0") throw new UpnpError(706, `There is no connection ${args.ConnectionID}: only 0`);
    return {
      RcsID: "0",
      AVTransportID: "0",
      ProtocolInfo: "",
      PeerConnectionManager: "",
      PeerConnectionID: "-1",
      Direction: "Input",
      Status: "OK",
    };
  },
};

function master(args: Record<string, string>): void {
  if (args.Channel !== "Master")
    throw invalidArgs(`Channel must be Master, not '${(args.Channel ?? "").slice(0, 20)}'`);
}

function booleanOf(text: string): boolean {
  const value = text.trim().toLowerCase();
  if (value === "1" || value === "true" || value === "yes") return true;
  if (value === "0" || value === "false" || value === "no") return false;
  throw invalidArgs(`DesiredMute must be 1 or 0, not '${text.slice(0, 20)}'`);
}
