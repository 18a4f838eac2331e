/**
 * UPnP services as tables: each action's arguments (by the state variable that types them) and each
 * state variable's type and allowed values. SCPD documents are written from them and every SOAP call
 * is checked against them, so what a control point reads is what the device takes.
 */

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

/** ConnectionManager:1, the same for every device here: only its protocol lists differ. */
export const CONNECTION_MANAGER: ServiceTable = {
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

/** A ConnectionManager protocol list (Source or Sink) of plain HTTP GETs of these types. */
export function protocolInfo(types: readonly string[]): string {
  return types.map((type) => `http-get:*:${type}:*`).join(",");
}

export function variableOf(service: ServiceTable, name: string): StateVariable | undefined {
  return service.variables.find((v) => v.name === name);
}
