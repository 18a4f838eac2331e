/**
 * A short silent MP3 built from empty Layer III frames (MPEG-1, 128 kb/s, 44.1 kHz, stereo): all side
 * information zero means no coded samples, which every decoder plays as silence. Served for an
 * empty queue, because a player shows an error for a 404 but simply plays silence.
 */
const FRAME_HEADER = Buffer.from([0xff, 0xfb, 0x90, 0x04]);
const FRAME_BYTES = 417; // floor(144 × 128000 / 44100), no padding
const FRAMES_PER_SECOND = 44100 / 1152;

export function silentMp3(seconds = 2): Buffer {
  const frames = Math.ceil(seconds * FRAMES_PER_SECOND);
  const out = Buffer.alloc(frames * FRAME_BYTES);
  for (let i = 0; i < frames; i++) FRAME_HEADER.copy(out, i * FRAME_BYTES);
  return out;
}
