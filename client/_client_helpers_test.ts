/** Helpers shared by the client's tests against the scripted gateway (no tests here). */
import assert from "node:assert/strict";
import { GatewayClient } from "./gateway_client.ts";
import type { GatewayClientOptions } from "./client_types.ts";
import { GatewayRequestError } from "./request_error.ts";

/** A client for the scripted gateway: no jitter, short backoff and deadlines. */
export function client(url: string, options: Partial<GatewayClientOptions> = {}): GatewayClient {
  return new GatewayClient({
    url,
    random: () => 0,
    backoff: { baseMs: 5, maxMs: 20 },
    requestTimeoutMs: 1500,
    ...options,
  });
}

export async function rejection(promise: Promise<unknown>): Promise<GatewayRequestError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayRequestError, `not a GatewayRequestError: ${error}`);
    return error;
  }
  assert.fail("expected a rejection");
}

export function chunk(seq: unknown, data: unknown[], finished: boolean, extra: object = {}) {
  return { _event: "pool_response", seq, finished, data, nonexistent: [], ...extra };
}

export const member = (id: string, name = `m${id}`) => ({
  id,
  name,
  discriminator: "0001",
  avatar: null,
  roles: [],
  joined_at: "2020-01-01T00:00:00Z",
});

export function logEvent(id: string) {
  return {
    id,
    timestamp: 1_700_000_000_000,
    type: 2003,
    origin: 1,
    guild_id: "7",
    content: "hello",
    private: false,
  };
}
