// This module is browser-compatible.
/**
 * The gateway protocol as the client package carries it: types, constants
 * and frame checks generated from `gateway/protocol/` (see
 * `client/build/protocol_snapshot.ts`), with no dependency on zod.
 *
 * @module
 */
export * from "./types.ts";
export * from "./values.ts";
export * from "./helpers.ts";
export { checkClientFrame, checkServerFrame, type FrameCheck } from "./frame_checks.ts";
