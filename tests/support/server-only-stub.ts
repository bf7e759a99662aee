// vitest runs server modules directly in Node; the real "server-only" package throws outside the
// react-server condition, so tests alias it to this empty module (vitest.config.ts).
export {};
