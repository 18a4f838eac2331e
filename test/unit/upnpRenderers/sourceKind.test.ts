import {describe, expect, it} from "vitest";
import {isLiveSource, sourceFormat} from "../../../src/upnpRenderers/sourceKind.js";

// DIDL-Lite as Music Assistant writes it (helpers/upnp.py: create_didl_metadata): a track with its
// duration; before 2025 tracks and the flow stream alike were audioBroadcast, the flow at 23:59:59.
const track = (cls: string, duration?: string) =>
  `<DIDL-Lite><item id="1"><dc:title>T</dc:title><upnp:class>${cls}</upnp:class><res ${duration ? `duration="${duration}" ` : ""}protocolInfo="http-get:*:audio/flac:DLNA.ORG_OP=01;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=01500000000000000000000000000000">u</res></item></DIDL-Lite>`;
const MUSIC = "object.item.audioItem.musicTrack";
const BROADCAST = "object.item.audioItem.audioBroadcast";

describe("what kind of source a cast is", () => {
  it("takes Music Assistant's queue items for tracks, icy-name and no length notwithstanding", () => {
    const single = {
      "icy-name": "Morning Song",
      "contentfeatures.dlna.org": "DLNA.ORG_OP=00;DLNA.ORG_FLAGS=01700000000000000000000000000000",
    };
    expect(isLiveSource(single, track(MUSIC, "00:03:25"))).toBe(false);
    expect(isLiveSource({"icy-name": "Morning Song"}, track(BROADCAST, "0:03:25.000"))).toBe(false);
    // Cast with no DIDL-Lite at all: its DLNA flags say it is not paced by its sender, so a track.
    expect(isLiveSource(single, "")).toBe(false);
  });

  it("takes the flow stream, a station and ICY metadata for live", () => {
    const flow = {
      "icy-name": "Music Assistant",
      "contentfeatures.dlna.org": "DLNA.ORG_OP=00;DLNA.ORG_FLAGS=81700000000000000000000000000000",
    };
    expect(isLiveSource(flow, track(MUSIC, "00:03:25"))).toBe(true);
    expect(isLiveSource({}, track(BROADCAST, "23:59:59.000"))).toBe(true);
    expect(isLiveSource({"icy-metaint": "16384"}, track(MUSIC, "00:03:25"))).toBe(true);
    expect(isLiveSource({"icy-name": "Radio 1", "icy-br": "128"}, "")).toBe(true);
    expect(isLiveSource({}, track(BROADCAST))).toBe(true);
  });

  it("reads a class padded with thousands of spaces and never closed (an attack on the pattern) as no class", () => {
    const padded = `<DIDL-Lite><item><upnp:class>${" ".repeat(8100)}x</item></DIDL-Lite>`;
    expect(isLiveSource({}, padded)).toBe(false);
    expect(isLiveSource({}, `<upnp:class>  ${BROADCAST}  </upnp:class>`)).toBe(true);
  });

  it("takes a plain file with no ICY headers for a track, with or without a length", () => {
    expect(isLiveSource({"content-length": "123456"}, "")).toBe(false);
    expect(isLiveSource({}, "")).toBe(false);
  });

  it("knows MP3 by all its names, PCM by its parameters, and what is no audio", () => {
    for (const type of ["audio/mpeg", "audio/mp3", "audio/x-mp3", "audio/mpeg3", "AUDIO/MPEG; charset=x"])
      expect(sourceFormat(type)).toEqual({kind: "mp3"});
    expect(sourceFormat("audio/pcm;codec=pcm;rate=48000;bitrate=24;channels=2")).toEqual({
      kind: "pcm",
      bits: 24,
      rate: 48_000,
      channels: 2,
      endian: "le",
    });
    expect(sourceFormat("audio/L16;rate=44100;channels=1")).toMatchObject({
      kind: "pcm",
      bits: 16,
      channels: 1,
      endian: "be",
    });
    for (const type of ["audio/flac", "audio/aac", "audio/ogg", "audio/wav;rate=44100;bitrate=16;channels=2", ""])
      expect(sourceFormat(type)).toEqual({kind: "container"});
    expect(sourceFormat("audio/x-mpegurl")).toEqual({kind: "unknown"});
    expect(sourceFormat("audio/pcm;bitrate=12")).toEqual({kind: "unknown"});
    // A rate of 1 makes an hour of MP3 from 8 KB; hex and exponents are no rate.
    for (const rate of ["1", "0", "0x10", "1e5", "999999999"])
      expect(sourceFormat(`audio/pcm;rate=${rate}`)).toEqual({kind: "unknown"});
    expect(sourceFormat("audio/L16;channels=0")).toEqual({kind: "unknown"});
  });
});
