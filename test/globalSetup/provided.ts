declare module "vitest" {
  export interface ProvidedContext {
    /** The demo's sample tracks and story narration, made once for the run (test/helpers/demo.ts). */
    demoMedia: string;
    /**
     * Home Assistant's sentence parser, built once for the run: its python and the run's folder for
     * its parsed templates, or why it could not be built.
     */
    hassil: {python: string; cache?: string} | {missing: string};
    /** The service and its test helpers compiled for the run, in a folder that stands for the package root (test/helpers/compiled.ts). */
    compiledService: string;
    /** Where test tones are kept for the run, by what made them (test/helpers/audio.ts). */
    audioCache: string;
  }
}

export {};
