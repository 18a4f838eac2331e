import {badRequest} from "../core/errors.js";
import {edits, presetItems, type StreamState} from "./model.js";

const MAX_PRESETS = 50;

/**
 * A stream's presets (named lists of its items to switch the queue to), each change as what it
 * makes of the stream: run inside the stream's one-at-a-time mutation, so a check and its write
 * see the same presets.
 */
export const presetEdits = {
  /** Keep `ids()` as the preset, a new one only while there is room; the ids are resolved last. */
  define(s: StreamState, preset: string, ids: () => string[]): Partial<StreamState> {
    if (!Object.hasOwn(s.presets, preset) && Object.keys(s.presets).length >= MAX_PRESETS) {
      throw badRequest(`A stream keeps at most ${MAX_PRESETS} presets; delete one first`, "too_many_presets");
    }
    return {presets: {...s.presets, [preset]: edits.replace([], ids())}};
  },

  /** Gone, and no longer the active one; a 404 when the stream has no such preset. */
  delete(s: StreamState, preset: string): Partial<StreamState> {
    presetItems(s, preset);
    const {[preset]: _gone, ...presets} = s.presets;
    return {presets, activePreset: s.activePreset === preset ? null : s.activePreset};
  },

  /** The queue switched to the preset's items. */
  use(s: StreamState, preset: string): Partial<StreamState> {
    return {items: [...presetItems(s, preset)], activePreset: preset};
  },
};
