// Pictures someone else sent, read within ceilings: the one door before any decoder (inspect), the
// decoder run under the kernel's caps (runCappedDecoder), and the refusal both answer in words.
export {DECODER_CPU_SECONDS, DECODER_WALL_MS, runCappedDecoder} from "./cappedDecoder.js";
export {DECODER_MEMORY_BYTES, PICTURE_MEMORY_BYTES} from "./decodeMemory.js";
export {type InspectedPicture, inspectPicture} from "./inspect.js";
export {MAX_PIXELS, MAX_SIDE, type PictureHeader, type PictureType, pictureHeader} from "./pictureHeader.js";
export {encodeRgbaPng, pngChunk} from "./pngWrite.js";
export {ImageRefusal, type RefusalKind} from "./refusal.js";
export {type ScaleOptions, scalePicture} from "./scalePicture.js";
