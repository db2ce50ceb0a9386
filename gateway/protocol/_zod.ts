// This module is browser-compatible.
/**
 * zod/mini for the protocol's schemas: the same validation as zod's classic
 * API, in functions a bundler can drop when the browser does not use them.
 *
 * Classic zod registers English messages the first time a schema is built;
 * zod/mini registers no locale and would describe every issue as "Invalid
 * input". English is registered here when nothing else chose a locale, so
 * the issues in `invalid_payload` errors read the same whichever API
 * happened to load first.
 *
 * In a page, parsing is interpreted rather than compiled: zod's compiled
 * parsers need `new Function`, which the pages' Content-Security-Policy
 * forbids, and zod's probe for it is itself reported as a CSP violation.
 * Results are the same either way; the server keeps the faster compiled
 * parsers. Object schemas read this setting when they are built, so it is
 * set here, before any schema exists.
 *
 * @module
 */
import { config } from "zod/mini";
import { en } from "zod/locales";

if (!config().localeError) config(en());
if ("document" in globalThis) config({ jitless: true });

export * from "zod/mini";
