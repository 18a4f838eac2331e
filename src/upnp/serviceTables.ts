/**
 * The three services of a MediaRenderer:1 as tables: each action's arguments (by the state variable
 * that types them) and each state variable's type and allowed values. The SCPD documents are written
 * from these, and every SOAP call is checked against them, so what a control point reads is what
 * this renderer takes.
 */

export type ServiceKey = "AVTransport" | "RenderingControl" | "ConnectionManager";

export interface StateVariable {
  name: string;
  type: "string" | "ui4" | "i4" | "ui2" | "boolean";
  /** Sent in events: only LastChange for AVTransport and RenderingControl (UPnP AV's moderation). */
  events?: boolean;
  allowed?: readonly string[];
  range?: {min: number; max: number; step: number};
}

export interface ActionTable {
  in: ReadonlyArray<readonly [name: string, variable: string]>;
  out: ReadonlyArray<readonly [name: string, variable: string]>;
}

export interface ServiceTable {
  type: string;
  id: string;
  actions: Readonly<Record<string, ActionTable>>;
  variables: readonly StateVariable[];
}

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
    {name: "CurrentPlayMode", type: "string", allowed: ["NORMAL"]},
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
  },
  variables: [
    {name: "LastChange", type: "string", events: true},
    {name: "Mute", type: "boolean"},
    {name: "Volume", type: "ui2", range: {min: 0, max: 100, step: 1}},
    {name: "A_ARG_TYPE_Channel", type: "string", allowed: ["Master"]},
    {name: "A_ARG_TYPE_InstanceID", type: "ui4"},
  ],
};

const connectionManager: ServiceTable = {
  type: "urn:schemas-upnp-org:service:ConnectionManager:1",
  id: "urn:upnp-org:serviceId:ConnectionManager",
  actions: {
    GetProtocolInfo: {
      in: [],
      out: [
        ["Source", "SourceProtocolInfo"],
        ["Sink", "SinkProtocolInfo"],
      ],
    },
    GetCurrentConnectionIDs: {in: [], out: [["ConnectionIDs", "CurrentConnectionIDs"]]},
    GetCurrentConnectionInfo: {
      in: [["ConnectionID", "A_ARG_TYPE_ConnectionID"]],
      out: [
        ["RcsID", "A_ARG_TYPE_RcsID"],
        ["AVTransportID", "A_ARG_TYPE_AVTransportID"],
        ["ProtocolInfo", "A_ARG_TYPE_ProtocolInfo"],
        ["PeerConnectionManager", "A_ARG_TYPE_ConnectionManager"],
        ["PeerConnectionID", "A_ARG_TYPE_ConnectionID"],
        ["Direction", "A_ARG_TYPE_Direction"],
        ["Status", "A_ARG_TYPE_ConnectionStatus"],
      ],
    },
  },
  variables: [
    {name: "SourceProtocolInfo", type: "string", events: true},
    {name: "SinkProtocolInfo", type: "string", events: true},
    {name: "CurrentConnectionIDs", type: "string", events: true},
    {
      name: "A_ARG_TYPE_ConnectionStatus",
      type: "string",
      allowed: ["OK", "ContentFormatMismatch", "InsufficientBandwidth", "UnreliableChannel", "Unknown"],
    },
    {name: "A_ARG_TYPE_ConnectionManager", type: "string"},
    {name: "A_ARG_TYPE_Direction", type: "string", allowed: ["Input", "Output"]},
    {name: "A_ARG_TYPE_ProtocolInfo", type: "string"},
    {name: "A_ARG_TYPE_ConnectionID", type: "i4"},
    {name: "A_ARG_TYPE_AVTransportID", type: "i4"},
    {name: "A_ARG_TYPE_RcsID", type: "i4"},
  ],
};

export const SERVICES: Readonly<Record<ServiceKey, ServiceTable>> = {
  AVTransport: avTransport,
  RenderingControl: renderingControl,
  ConnectionManager: connectionManager,
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
  return SINK_TYPES.map((type) => `http-get:*:${type}:*`).join(",");
}

export function variableOf(service: ServiceTable, name: string): StateVariable | undefined {
  return service.variables.find((v) => v.name === name);
}
