import {DmrLikeDevice} from "./dmrDevice.js";
import {atFileEnd} from "./fileEnd.js";
import {MusicAssistantDlna} from "./musicAssistantPlayer.js";
import {type MaStreamOptions, type MaTrack, musicAssistantStreams} from "./musicAssistantStreams.js";
import {waitFor} from "./players.js";

/**
 * Music Assistant's stream server with `tracks`, and its DLNA provider beside a subscriber, at a
 * renderer (`base`, its UPnP address): both stopped at the end of the test file.
 */
export async function musicAssistantAt(renderer: {base: string}, o: MaStreamOptions, tracks: MaTrack[], flow: boolean) {
  const ma = await musicAssistantStreams(tracks, o);
  atFileEnd(() => ma.stop());
  const dmr = await DmrLikeDevice.open(renderer.base);
  await waitFor(() => dmr.state.TransportState !== undefined, "the first event");
  const player = new MusicAssistantDlna(dmr, ma, flow);
  atFileEnd(() => player.stop());
  return {ma, dmr, player};
}
