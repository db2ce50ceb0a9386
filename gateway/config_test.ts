import assert from "node:assert/strict";
import { ConfigError, DEV_JWT_SECRET, loadConfig } from "./config.ts";

Deno.test("loadConfig() gives development defaults with the dev secret flagged", () => {
  const c = loadConfig({});
  assert.equal(c.production, false);
  assert.equal(c.host, "127.0.0.1");
  assert.equal(c.port, 8000);
  assert.equal(c.jwtSecret, DEV_JWT_SECRET);
  assert.equal(c.usingDevSecret, true);
  assert.equal(c.maxFrameBytes, 65536);
  assert.deepEqual(c.rateLimit, { burst: 120, perSecond: 2 });
  assert.ok(c.staffIds.has("214037134477230080"));
});

Deno.test("loadConfig() refuses production without a secret and origins", () => {
  assert.throws(() => loadConfig({ GATEWAY_ENV: "production" }), /JWT_SECRET and ALLOWED_ORIGINS/);
  assert.throws(
    () => loadConfig({ GATEWAY_ENV: "production", JWT_SECRET: "x".repeat(40) }),
    /ALLOWED_ORIGINS/,
  );
  assert.throws(
    () =>
      loadConfig({
        GATEWAY_ENV: "production",
        JWT_SECRET: "short",
        ALLOWED_ORIGINS: "https://a.b",
      }),
    /at least 32/,
  );
  const c = loadConfig({
    GATEWAY_ENV: "production",
    JWT_SECRET: "x".repeat(40),
    ALLOWED_ORIGINS: "https://archit.us, https://api.archit.us",
  });
  assert.deepEqual(c.allowedOrigins, ["https://archit.us", "https://api.archit.us"]);
  assert.equal(c.staffIds.size, 0, "no default staff in production");
});

Deno.test("loadConfig() lists every invalid variable", () => {
  try {
    loadConfig({ PORT: "seventy", NUM_SHARDS: "0", ALLOWED_ORIGINS: "" });
    assert.fail("should throw");
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /PORT/);
    assert.match(error.message, /NUM_SHARDS/);
  }
  assert.throws(() => loadConfig({ ALLOWED_ORIGINS: "archit.us" }), /not an origin/);
  assert.throws(() => loadConfig({ ARCHITUS_ADMIN_IDS: "1,abc" }), /not an id/);
});
