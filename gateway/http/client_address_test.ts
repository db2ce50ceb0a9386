import assert from "node:assert/strict";
import { clientAddress } from "./client_address.ts";

Deno.test("clientAddress() is the peer unless a trusted proxy header names the client", () => {
  const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 10.0.0.7" });
  assert.equal(clientAddress(headers, "127.0.0.1", undefined), "127.0.0.1", "headers ignored");
  assert.equal(clientAddress(headers, "127.0.0.1", "x-forwarded-for"), "10.0.0.7", "the last hop");
  assert.equal(clientAddress(new Headers(), "127.0.0.1", "x-real-ip"), "127.0.0.1");
  assert.equal(clientAddress(new Headers(), undefined, undefined), "unknown");
});
