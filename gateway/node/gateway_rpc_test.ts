import assert from "node:assert/strict";
import { TokenVerifier } from "../auth/mod.ts";
import { mintToken } from "../auth/token_minter.ts";
import { MemoryBus } from "../bus/mod.ts";
import { Diagnostics } from "../observability/diagnostics.ts";
import { ElevationNonces } from "./elevation_nonces.ts";
import { GatewayRpc } from "./gateway_rpc.ts";

const SECRET = "gateway-rpc-unit-secret";

function server(options: { failStash?: boolean; lines?: string[] } = {}) {
  const bus = new MemoryBus();
  const nonces = new ElevationNonces(bus, { ttlMs: 60_000 });
  const signedOut: string[] = [];
  const rpc = new GatewayRpc({
    bus,
    nonces: options.failStash
      ? { register: () => Promise.reject(new Error("broker away")) }
      : nonces,
    tokens: new TokenVerifier({ secret: SECRET, acceptExpired: true }),
    signOut: (userId) => {
      signedOut.push(userId);
      return Promise.resolve();
    },
    diagnostics: new Diagnostics({ sink: (l) => options.lines?.push(l) }),
  });
  return { bus, nonces, rpc, signedOut };
}

const call = (method: string, args: unknown[]) => JSON.stringify({ method, args, kwargs: {} });

Deno.test("GatewayRpc registers a nonce under its canonical text, idempotently", async () => {
  const { bus, nonces, rpc } = server();
  await bus.start();
  const ok = JSON.stringify({ sc: 200, resp: { message: "registered" } });
  assert.equal(await rpc.answer(call("register_nonce", ["0042", "tok.en.1"])), ok);
  assert.equal(await rpc.answer(call("register_nonce", [42, "tok.en.2"])), ok);
  assert.equal(await nonces.claim("42"), "tok.en.1", "the first registration holds");
  assert.equal(await nonces.claim("42"), null);
  await bus.shutdown();
});

Deno.test("GatewayRpc leaves a call unanswered when the bus cannot hold the nonce", async () => {
  const { rpc } = server({ failStash: true });
  await assert.rejects(rpc.answer(call("register_nonce", [7, "t.o.k"])));
});

Deno.test("GatewayRpc signs out the user of a valid token, expired or not, and never logs it", async () => {
  const lines: string[] = [];
  const { rpc, signedOut } = server({ lines });
  const expired = await mintToken({ secret: SECRET, userId: "42", now: Date.now() - 86_400_000 });
  assert.equal(
    await rpc.answer(call("demote_connection", [expired])),
    JSON.stringify({ sc: 200, resp: { message: "demoted" } }),
  );
  assert.deepEqual(signedOut, ["42"]);
  const forged = await mintToken({ secret: "other", userId: "42" });
  const refused = JSON.parse(await rpc.answer(call("demote_connection", [forged])));
  assert.equal(refused.sc, 400);
  assert.deepEqual(signedOut, ["42"]);
  assert.ok(lines.every((l) => !l.includes(expired) && !l.includes(forged)), "no token logged");
});

Deno.test("GatewayRpc answers anything else with the original's 400 'invaild arguments'", async () => {
  const { rpc } = server();
  const invalid = JSON.stringify({ sc: 400, resp: { message: "invaild arguments" } });
  for (
    const body of [
      "not json",
      call("ping", []),
      call("register_nonce", [-1, "t"]),
      call("register_nonce", [1.5, "t"]),
      call("register_nonce", [1, 2]),
      call("demote_connection", []),
    ]
  ) {
    assert.equal(await rpc.answer(body), invalid, body);
  }
});
