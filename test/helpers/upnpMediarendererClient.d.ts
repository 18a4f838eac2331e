/**
 * npm's upnp-mediarenderer-client (1.4.0, dlnacasts' control point), which ships no types: the
 * calls the tests make. Callbacks are Node's (err first); events come from the renderer's
 * AVTransport LastChange, subscribed to when a listener of one is added.
 */
declare module "upnp-mediarenderer-client" {
  import {EventEmitter} from "node:events";

  type Done<T = unknown> = (err: (Error & {code?: string; statusCode?: number}) | null, result?: T) => void;

  interface LoadOptions {
    autoplay?: boolean;
    contentType?: string;
    dlnaFeatures?: string;
    metadata?: {title?: string; creator?: string; type?: "audio" | "video" | "image"; url?: string};
  }

  class MediaRendererClient extends EventEmitter {
    constructor(descriptionUrl: string);
    load(url: string, options: LoadOptions, callback: Done): void;
    play(callback?: Done): void;
    pause(callback?: Done): void;
    stop(callback?: Done): void;
    setVolume(volume: number, callback?: Done): void;
    getVolume(callback: Done<number>): void;
    getTransportInfo(callback: Done<Record<string, string>>): void;
    callAction(
      service: string,
      action: string,
      params: Record<string, unknown>,
      callback: Done<Record<string, string>>,
    ): void;
    subscribe(service: string, listener: (event: Record<string, string>) => void): void;
    unsubscribe(service: string, listener: (event: Record<string, string>) => void): void;
  }

  export default MediaRendererClient;
}
