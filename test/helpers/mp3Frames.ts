/**
 * An independent MP3 frame walker for tests (deliberately not the product's parser): walks frame
 * headers from byte 0 and reports where the walk breaks and which frames are Xing/Info headers.
 */
const KBPS: Record<string, number[]> = {
  v1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES: Record<number, number[]> = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000]};

export interface FrameWalk {
  frames: number;
  /** Byte offset where bytes stopped being frames, or -1 if the walk reached the end exactly. */
  brokeAt: number;
  infoFrames: number[];
  sampleRates: Set<number>;
}

export function walkFrames(buf: Buffer): FrameWalk {
  const walk: FrameWalk = {frames: 0, brokeAt: -1, infoFrames: [], sampleRates: new Set()};
  let at = 0;
  while (at < buf.length) {
    if (at + 4 > buf.length || buf[at] !== 0xff || ((buf[at + 1] as number) & 0xe0) !== 0xe0) {
      walk.brokeAt = at;
      return walk;
    }
    const version = ((buf[at + 1] as number) >> 3) & 3;
    const layer = ((buf[at + 1] as number) >> 1) & 3;
    const bitrateIndex = (buf[at + 2] as number) >> 4;
    const rateIndex = ((buf[at + 2] as number) >> 2) & 3;
    if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) {
      walk.brokeAt = at;
      return walk;
    }
    const kbps = (version === 3 ? KBPS.v1 : KBPS.v2)?.[bitrateIndex] as number;
    const rate = RATES[version]?.[rateIndex] as number;
    const padding = ((buf[at + 2] as number) >> 1) & 1;
    const length = Math.floor(((version === 3 ? 144 : 72) * kbps * 1000) / rate) + padding;
    const mono = (buf[at + 3] as number) >> 6 === 3;
    const side = version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17;
    const tag = buf.toString("latin1", at + 4 + side, at + 8 + side);
    if (tag === "Xing" || tag === "Info" || buf.toString("latin1", at + 36, at + 40) === "VBRI")
      walk.infoFrames.push(at);
    walk.sampleRates.add(rate);
    walk.frames++;
    at += length;
  }
  if (at !== buf.length) walk.brokeAt = at;
  return walk;
}
