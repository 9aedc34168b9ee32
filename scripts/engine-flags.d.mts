// Types for engine-flags.mjs (imported by tests).
export declare const ENGINE_V8_FLAGS: readonly string[];
export declare const ELECTRON_JS_FLAGS: string;
