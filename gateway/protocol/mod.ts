// This module is browser-compatible.
/**
 * The gateway's wire protocol: every frame as a zod schema, the codec that
 * is the only parser of client input, error names and close codes. Browser
 * safe: the client library and the islands import it.
 *
 * @module
 */
export * from "./ids.ts";
export * from "./hoar_frost.ts";
export * from "./mock_actions.ts";
export * from "./permissions.ts";
export * from "./pool_types.ts";
export * from "./entities.ts";
export * from "./log_event.ts";
export * from "./error_codes.ts";
export * from "./close_codes.ts";
export * from "./client_frames.ts";
export * from "./server_frames.ts";
export * from "./codec.ts";
