import {describe, expect, it} from "vitest";
import {BridgeTopics} from "../../../src/bridge/topics.js";
import {parseMediaCommand} from "../../../src/mediaPlayer/mediaCommands.js";
import {mediaState, mediaStateValues, songOf} from "../../../src/mediaPlayer/mediaState.js";
import {MediaTopics, mediaPlayerConfig} from "../../../src/mediaPlayer/mediaTopics.js";
import {newPlayer, type PlayerState} from "../../../src/yoto/playerModel.js";

function player(patch: Partial<PlayerState> = {}): PlayerState {
  const p = newPlayer({
    deviceId: "y2P3y0gSbIMTq5Mux4vhI-XE",
    name: "Bedroom",
    deviceFamily: "v3",
    deviceType: "v3",
    online: true,
  });
  return {...p, volume: {level: 8, max: 16}, ...patch};
}
const playing = (patch: Partial<PlayerState["playback"]> = {}) =>
  player({
    playback: {
      status: "playing",
      cardId: "abcde",
      chapterTitle: "Night",
      trackTitle: "Night, part one",
      position: 12.6,
      trackLength: 200.4,
      ...patch,
    },
  });

describe("The media player's topics and config", () => {
  const t = new MediaTopics(new BridgeTopics("home/yoto", "homeassistant"));

  it("names each player after the instance and its id, and gives the integration every key it reads", () => {
    expect(t.name("y2P3y0gSbIMTq5Mux4vhI-XE")).toBe("home_yoto_y2P3y0gSbIMTq5Mux4vhI-XE");
    expect(t.config("y1")).toBe("homeassistant/media_player/home_yoto_y1/config");
    const config = mediaPlayerConfig(t, "y1", "");
    expect(config).toMatchObject({
      name: "Yoto Player",
      availability: {
        topic: "home/yoto/bridge/state",
        payload_available: '{"state":"online"}',
        payload_not_available: '{"state":"offline"}',
      },
      state_state_topic: "home/yoto/y1/media/state",
      state_albumart_topic: "home/yoto/y1/media/albumart",
      command_volume_topic: "home/yoto/y1/media/set/volume",
      command_playmedia_topic: "home/yoto/y1/media/set/playmedia",
      state_mute_topic: "home/yoto/y1/media/mute",
      command_mute_topic: "home/yoto/y1/media/set/mute",
      command_play_payload: "play",
      command_previous_payload: "previous",
    });
    expect(Object.keys(config).filter((k) => k.endsWith("_topic"))).toHaveLength(17);
  });

  it("reads back only its own command topics", () => {
    expect(t.parseCommand("home/yoto/y1/media/set/volume")).toEqual({playerId: "y1", command: "volume"});
    for (const topic of [
      "home/yoto/y1/media/volume",
      "home/yoto/bridge/media/set/x",
      "yoto/y1/media/set/play",
      "home/yoto/y1/media/set/play/x",
    ])
      expect(t.parseCommand(topic)).toBeUndefined();
  });
});

describe("The media player's state", () => {
  it("is one of Home Assistant's media player states", () => {
    expect(mediaState(playing(), true)).toBe("playing");
    expect(mediaState(playing({status: "paused"}), true)).toBe("paused");
    expect(mediaState(playing({status: "loading"}), true)).toBe("buffering");
    expect(mediaState(playing({status: "unknown"}), true)).toBe("idle");
    expect(mediaState(playing({cardId: null}), true)).toBe("idle");
    expect(mediaState(playing(), false)).toBe("off");
    expect(mediaState({...playing(), online: false}, true)).toBe("off");
  });

  it("carries whole seconds, a 0–1 volume, and the card as the artist", () => {
    expect(mediaStateValues(playing(), true, {title: "The Owl Story"})).toEqual({
      state: "playing",
      title: "Night, part one",
      artist: "The Owl Story",
      album: "Night",
      duration: "200",
      position: "13",
      volume: "0.5",
      mediatype: "music",
      mute: "unmute",
    });
    // Muted (the level remembered, volume 0): what the integration's mute handler reads.
    expect(mediaStateValues(playing(), true, undefined, undefined, true).mute).toBe("mute");
    // No card: nothing to show, and no position (the integration's int() gives None for an empty text).
    expect(mediaStateValues(playing({cardId: null}), true, undefined)).toMatchObject({
      title: "",
      artist: "",
      album: "",
      duration: "0",
      position: "",
    });
    // A volume not reported yet is not sent at all: float("") would fail in Home Assistant.
    expect(mediaStateValues(player({volume: {}}), true, undefined).volume).toBeUndefined();
    // A track named as its chapter is not repeated as the album.
    expect(mediaStateValues(playing({trackTitle: "Night"}), true, undefined).album).toBe("");
  });
});

describe("A radio card's song", () => {
  it("is the title and artist while the card plays, split at the first ' - ', and not shown paused", () => {
    expect(songOf("Raffi - Baby Beluga - Live")).toEqual({artist: "Raffi", title: "Baby Beluga - Live"});
    expect(songOf("Morning Songs")).toEqual({title: "Morning Songs"});
    expect(songOf(" - Intro")).toEqual({title: "- Intro"});
    const card = {title: "Kids radio"};
    expect(mediaStateValues(playing(), true, card, "Raffi - Baby Beluga")).toMatchObject({
      title: "Baby Beluga",
      artist: "Raffi",
      album: "Kids radio",
    });
    expect(mediaStateValues(playing(), true, card, "Morning Songs")).toMatchObject({
      title: "Morning Songs",
      artist: "Kids radio",
      album: "",
    });
    expect(mediaStateValues(playing({status: "paused"}), true, card, "Raffi - Baby Beluga")).toMatchObject({
      title: "Night, part one",
      artist: "Kids radio",
    });
  });
});

describe("Commands from the media player", () => {
  it("maps play, pause, next and previous, and refuses a payload that is none of them", () => {
    expect(parseMediaCommand("play", "play", player())).toEqual({kind: "command", command: {command: "resume"}});
    expect(parseMediaCommand("pause", "", player())).toEqual({kind: "command", command: {command: "pause"}});
    expect(parseMediaCommand("next", "NEXT", player())).toEqual({kind: "command", command: {command: "next"}});
    expect(() => parseMediaCommand("previous", "rewind", player())).toThrow(
      "'rewind' is not a previous command: send 'previous'",
    );
    expect(() => parseMediaCommand("shuffle", "", player())).toThrow(
      "Unknown media player command 'shuffle': known are play, pause, next, previous, volume, mute and playmedia",
    );
  });

  it("turns a 0–1 volume into the nearest of the 17 steps, never above the max", () => {
    expect(parseMediaCommand("volume", "0.5", player())).toEqual({
      kind: "command",
      command: {command: "volume", percent: 50},
      note: undefined,
    });
    expect(parseMediaCommand("volume", "0.0", player())).toMatchObject({command: {percent: 0}});
    expect(parseMediaCommand("volume", "1.0", player({volume: {level: 3, max: 10}}))).toEqual({
      kind: "command",
      command: {command: "volume", percent: 63},
      note: "volume 1.0 is above the max volume 10 of 16: set to the max",
    });
    // Home Assistant writes floats in decimal, a tiny one with an exponent.
    expect(parseMediaCommand("volume", "1e-05", player())).toMatchObject({command: {percent: 0}});
    expect(parseMediaCommand("volume", ".5", player())).toMatchObject({command: {percent: 50}});
    for (const bad of ["1.7", "-0.1", "loud", "", "NaN", "Infinity", "0x1", "0b1", "0o1", "+1", "1_0", "1 0"])
      expect(() => parseMediaCommand("volume", bad, player())).toThrow(
        `'${bad}' is not a volume: send a number from 0 to 1 (0.5 is half)`,
      );
  });

  it("reads play_media as Home Assistant sends it", () => {
    const pm = (id: unknown) =>
      parseMediaCommand("playmedia", JSON.stringify({media_type: "music", media_id: id}), player());
    expect(pm("https://ha.local:8123/api/tts_proxy/abc.mp3")).toMatchObject({
      kind: "announce",
      request: {
        source: {kind: "media", url: "https://ha.local:8123/api/tts_proxy/abc.mp3"},
        resume: true,
        chime: false,
      },
    });
    // Any other URL (the media browser, Music Assistant) is played as a stream, not announced.
    expect(pm("https://ha.local:8123/media/local/song.mp3")).toEqual({
      kind: "url",
      url: "https://ha.local:8123/media/local/song.mp3",
    });
    expect(pm("http://ha.local:8123/api/tts_proxy_not/abc.mp3")).toMatchObject({kind: "url"});
    expect(parseMediaCommand("mute", " Mute ", player())).toEqual({kind: "mute", mute: true});
    expect(parseMediaCommand("mute", "unmute", player())).toEqual({kind: "mute", mute: false});
    expect(() => parseMediaCommand("mute", "on", player())).toThrow(
      "'on' is not a mute command: send 'mute' or 'unmute'",
    );
    // A library item is played once, a start like a card (the gate asks it), not an announcement.
    expect(pm("library:bedtime/owl.mp3")).toMatchObject({
      kind: "item",
      request: {source: {kind: "item", ref: "bedtime/owl.mp3"}, resume: false},
      what: "The library item 'bedtime/owl.mp3'",
    });
    expect(pm("stream:Bedtime")).toEqual({kind: "stream", stream: "Bedtime"});
    expect(pm(" Peter Pan: Chapter 1 ")).toEqual({kind: "card", card: "Peter Pan: Chapter 1"});
    expect(() => pm("media-source://tts/cloud?message=hi")).toThrow(
      "'media-source://tts/cloud?message=hi' is a Home Assistant media source it did not resolve: play it from Home Assistant's media browser, or send its http(s) URL",
    );
    expect(() => pm("library: ")).toThrow(
      "'library:' names no library item's id, path or title: send library:<a library item's id, path or title>",
    );
    expect(() => pm(42)).toThrow(
      "play_media needs a 'media_id': a card's title or id, an http(s) audio URL, stream:<name> or library:<item>",
    );
    expect(() => pm("x".repeat(3000))).toThrow("The media_id is 3000 characters; at most 2048 are taken");
    expect(() => parseMediaCommand("playmedia", "songs", player())).toThrow(
      `play_media needs JSON such as {"media_type": "music", "media_id": "<card, URL, stream:… or library:…>"}, not 'songs'`,
    );
  });
});
