import assert from "node:assert/strict";
import { originAllowed } from "./origin.ts";

const dev = { production: false, allowedOrigins: ["https://archit.us"], host: "localhost:8000" };
const prod = { ...dev, production: true };

Deno.test("originAllowed() admits non-browsers, the list, and same host in development", () => {
  assert.equal(originAllowed(null, prod), true);
  assert.equal(originAllowed("https://archit.us", prod), true);
  assert.equal(originAllowed("http://localhost:8000", dev), true);
  assert.equal(originAllowed("http://localhost:8000", prod), false);
});

Deno.test("originAllowed() refuses look-alikes and odd origins", () => {
  for (
    const origin of [
      "https://archit.us.evil.example",
      "https://аrchit.us", // Cyrillic а
      "null",
      "file://",
      "http://localhost:8001",
      "ws://localhost:8000",
      "https://ARCHIT.US.example",
      "",
    ]
  ) {
    assert.equal(originAllowed(origin, dev), false, origin);
  }
});
