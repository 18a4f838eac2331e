import {CONNECTION_MANAGER, protocolInfo, type ServiceTable} from "../upnp/serviceTables.js";
import {PLAY_MODES} from "./castQueue.js";

/** The three services of a MediaRenderer:1 as tables (the kit's shape: upnp/serviceTables.ts). */

export type ServiceKey = "AVTransport" | "RenderingControl" | "ConnectionManager";

const INSTANCE = ["InstanceID", "A_ARG_TYPE_InstanceID"] as const;
const CHANNEL = ["Channel", "A_ARG_TYPE_Channel"] as const;

/** What Play, Pause, Stop, Seek, Next and Previous the transport offers, as CurrentTransportActions lists them. */
export const TRANSPORT_STATES = ["STOPPED", "PLAYING", "PAUSED_PLAYBACK", "TRANSITIONING", "NO_MEDIA_PRESENT"] as const;
export type TransportState = (typeof TRANSPORT_STATES)[number];

const avTransport: ServiceTable = {
  type: "urn:schemas-upnp-org:service:AVTransport:1",
  id: "urn:upnp-org:serviceId:AVTransport",
  actions: {
    SetAVTransportURI: {
      in: [INSTANCE, ["CurrentURI", "AVTransportURI"], ["CurrentURIMetaData", "AVTransportURIMetaData"]],
      out: [],
    },
    GetMediaInfo: {
      in: [INSTANCE],
      out: [
        ["NrTracks", "NumberOfTracks"],
        ["MediaDuration", "CurrentMediaDuration"],
        ["CurrentURI", "AVTransportURI"],
        ["CurrentURIMetaData", "AVTransportURIMetaData"],
        ["NextURI", "NextAVTransportURI"],
        ["NextURIMetaData", "NextAVTransportURIMetaData"],
        ["PlayMedium", "PlaybackStorageMedium"],
        ["RecordMedium", "RecordStorageMedium"],
        ["WriteStatus", "RecordMediumWriteStatus"],
      ],
    },
    GetTransportInfo: {
      in: [INSTANCE],
      out: [
        ["CurrentTransportState", "TransportState"],
        ["CurrentTransportStatus", "TransportStatus"],
        ["CurrentSpeed", "TransportPlaySpeed"],
      ],
    },
    GetPositionInfo: {
      in: [INSTANCE],
      out: [
        ["Track", "CurrentTrack"],
        ["TrackDuration", "CurrentTrackDuration"],
        ["TrackMetaData", "CurrentTrackMetaData"],
        ["TrackURI", "CurrentTrackURI"],
        ["RelTime", "RelativeTimePosition"],
        ["AbsTime", "AbsoluteTimePosition"],
        ["RelCount", "RelativeCounterPosition"],
        ["AbsCount", "AbsoluteCounterPosition"],
      ],
    },
    GetDeviceCapabilities: {
      in: [INSTANCE],
      out: [
        ["PlayMedia", "PossiblePlaybackStorageMedia"],
        ["RecMedia", "PossibleRecordStorageMedia"],
        ["RecQualityModes", "PossibleRecordQualityModes"],
      ],
    },
    GetTransportSettings: {
      in: [INSTANCE],
      out: [
        ["PlayMode", "CurrentPlayMode"],
        ["RecQualityMode", "CurrentRecordQualityMode"],
      ],
    },
    GetCurrentTransportActions: {in: [INSTANCE], out: [["Actions", "CurrentTransportActions"]]},
    SetNextAVTransportURI: {
      in: [INSTANCE, ["NextURI", "NextAVTransportURI"], ["NextURIMetaData", "NextAVTransportURIMetaData"]],
      out: [],
    },
    SetPlayMode: {in: [INSTANCE, ["NewPlayMode", "CurrentPlayMode"]], out: []},
    Stop: {in: [INSTANCE], out: []},
    Play: {in: [INSTANCE, ["Speed", "TransportPlaySpeed"]], out: []},
    Pause: {in: [INSTANCE], out: []},
    Seek: {in: [INSTANCE, ["Unit", "A_ARG_TYPE_SeekMode"], ["Target", "A_ARG_TYPE_SeekTarget"]], out: []},
    Next: {in: [INSTANCE], out: []},
    Previous: {in: [INSTANCE], out: []},
  },
  variables: [
    {name: "TransportState", type: "string", allowed: TRANSPORT_STATES},
    {name: "TransportStatus", type: "string", allowed: ["OK", "ERROR_OCCURRED"]},
    {name: "PlaybackStorageMedium", type: "string", allowed: ["NONE", "NETWORK"]},
    {name: "RecordStorageMedium", type: "string", allowed: ["NOT_IMPLEMENTED"]},
    {name: "PossiblePlaybackStorageMedia", type: "string"},
    {name: "PossibleRecordStorageMedia", type: "string"},
    {name: "CurrentPlayMode", type: "string", allowed: PLAY_MODES},
    {name: "TransportPlaySpeed", type: "string", allowed: ["1"]},
    {name: "RecordMediumWriteStatus", type: "string", allowed: ["NOT_IMPLEMENTED"]},
    {name: "CurrentRecordQualityMode", type: "string", allowed: ["NOT_IMPLEMENTED"]},
    {name: "PossibleRecordQualityModes", type: "string"},
    {name: "NumberOfTracks", type: "ui4", range: {min: 0, max: 65535, step: 1}},
    {name: "CurrentTrack", type: "ui4", range: {min: 0, max: 65535, step: 1}},
    {name: "CurrentTrackDuration", type: "string"},
    {name: "CurrentMediaDuration", type: "string"},
    {name: "CurrentTrackMetaData", type: "string"},
    {name: "CurrentTrackURI", type: "string"},
    {name: "AVTransportURI", type: "string"},
    {name: "AVTransportURIMetaData", type: "string"},
    {name: "NextAVTransportURI", type: "string"},
    {name: "NextAVTransportURIMetaData", type: "string"},
    {name: "RelativeTimePosition", type: "string"},
    {name: "AbsoluteTimePosition", type: "string"},
    {name: "RelativeCounterPosition", type: "i4"},
    {name: "AbsoluteCounterPosition", type: "i4"},
    {name: "CurrentTransportActions", type: "string"},
    {name: "LastChange", type: "string", events: true},
    {name: "A_ARG_TYPE_SeekMode", type: "string", allowed: ["REL_TIME"]},
    {name: "A_ARG_TYPE_SeekTarget", type: "string"},
    {name: "A_ARG_TYPE_InstanceID", type: "ui4"},
  ],
};

const renderingControl: ServiceTable = {
  type: "urn:schemas-upnp-org:service:RenderingControl:1",
  id: "urn:upnp-org:serviceId:RenderingControl",
  actions: {
    GetMute: {in: [INSTANCE, CHANNEL], out: [["CurrentMute", "Mute"]]},
    SetMute: {in: [INSTANCE, CHANNEL, ["DesiredMute", "Mute"]], out: []},
    GetVolume: {in: [INSTANCE, CHANNEL], out: [["CurrentVolume", "Volume"]]},
    SetVolume: {in: [INSTANCE, CHANNEL, ["DesiredVolume", "Volume"]], out: []},
    // RenderingControl:1 requires both: its one preset puts the volume back to the player's usual level.
    ListPresets: {in: [INSTANCE], out: [["CurrentPresetNameList", "PresetNameList"]]},
    SelectPreset: {in: [INSTANCE, ["PresetName", "A_ARG_TYPE_PresetName"]], out: []},
  },
  variables: [
    {name: "LastChange", type: "string", events: true},
    {name: "Mute", type: "boolean"},
    {name: "Volume", type: "ui2", range: {min: 0, max: 100, step: 1}},
    {name: "A_ARG_TYPE_Channel", type: "string", allowed: ["Master"]},
    {name: "PresetNameList", type: "string"},
    {name: "A_ARG_TYPE_PresetName", type: "string", allowed: ["FactoryDefaults"]},
    {name: "A_ARG_TYPE_InstanceID", type: "ui4"},
  ],
};

export const SERVICES: Readonly<Record<ServiceKey, ServiceTable>> = {
  AVTransport: avTransport,
  RenderingControl: renderingControl,
  ConnectionManager: CONNECTION_MANAGER,
};

export const SERVICE_KEYS = Object.keys(SERVICES) as ServiceKey[];

export const RENDERER_TYPE = "urn:schemas-upnp-org:device:MediaRenderer:1";

/** The audio a renderer takes (ffmpeg makes MP3 of any of them): ConnectionManager's sink. */
export const SINK_TYPES = [
  "audio/mpeg",
  "audio/mp3",
  "audio/mp4",
  "audio/x-m4a",
  "audio/aac",
  "audio/ogg",
  "audio/opus",
  "audio/flac",
  "audio/x-flac",
  "audio/wav",
  "audio/x-wav",
  "audio/L16",
];

export function sinkProtocolInfo(): string {
  return protocolInfo(SINK_TYPES);
}
