import type {LibrarySection} from "../upnpLibrary/tree.js";
import type {Base} from "./basePhase.js";
import type {Cloud} from "./cloudPhase.js";
import type {Content} from "./contentPhase.js";
import type {Faces} from "./facesPhase.js";

/**
 * The library's top-level containers, in the order a family meets them: each a section over the
 * service that holds its content (src/upnpLibrary/sections/).
 */
export function librarySections(_app: Base & Cloud & Content & Faces): LibrarySection[] {
  return [];
}
