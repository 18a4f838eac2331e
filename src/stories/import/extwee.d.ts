// extwee ships its types, but its package `exports` do not point at them; this is the part used here.
declare module "extwee" {
  interface TwinePassage {
    name: string;
    tags: string[];
    text: string;
  }
  interface TwineStory {
    name: string;
    start: string;
    format: string;
    /** The story's Interactive Fiction ID, as the file had it (empty when it had none). */
    IFID: string;
    passages: TwinePassage[];
  }
  export function parseTwee(source: string): TwineStory;
  export function parseTwine2HTML(source: string): TwineStory;
  export function parseTwine1HTML(source: string): TwineStory;
}
