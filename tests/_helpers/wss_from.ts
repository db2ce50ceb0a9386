import tls from "node:tls";

/**
 * A minimal `wss://` client that connects from a chosen loopback address
 * (127.0.0.2, 127.0.0.3, …), which a browser-style `WebSocket` cannot: to
 * show a proxy forwarding different client addresses from one machine.
 */
export interface WssFrom {
  /** `open` when the gateway answered a `session` request; else the close code it sent. */
  readonly outcome: "open" | number;
  close(): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One masked client text frame (payloads under 126 bytes). */
function textFrame(text: string): Uint8Array {
  const payload = encoder.encode(text);
  if (payload.length >= 126) throw new Error("frame too long for this client");
  const mask = crypto.getRandomValues(new Uint8Array(4));
  const frame = new Uint8Array(6 + payload.length);
  frame.set([0x81, 0x80 | payload.length, ...mask]);
  payload.forEach((byte, i) => (frame[6 + i] = byte ^ mask[i % 4]!));
  return frame;
}

/** Server frames (unmasked) at the start of `bytes`: opcode and payload, or null when partial. */
function readFrame(
  bytes: Uint8Array,
): { opcode: number; payload: Uint8Array; size: number } | null {
  if (bytes.length < 2) return null;
  let length = bytes[1]! & 0x7f;
  let at = 2;
  if (length === 126) {
    if (bytes.length < 4) return null;
    length = (bytes[2]! << 8) | bytes[3]!;
    at = 4;
  } else if (length === 127) throw new Error("unexpectedly large frame");
  if (bytes.length < at + length) return null;
  return { opcode: bytes[0]! & 0x0f, payload: bytes.subarray(at, at + length), size: at + length };
}

/**
 * Opens `url` (`wss://host:port/path`) from `localAddress`, trusting `ca`,
 * sending `headers` with the upgrade, then asks `session`; resolves once the
 * answer or a close frame arrives. The socket stays open until `close()`.
 */
export function openFrom(options: {
  url: URL;
  localAddress: string;
  ca: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}): Promise<WssFrom> {
  const { url, localAddress, ca } = options;
  // `localAddress` is passed on to the TCP connect (Node's types leave it out).
  const connect: tls.ConnectionOptions & { localAddress: string } = {
    host: url.hostname,
    port: Number(url.port),
    localAddress,
    ca,
  };
  const socket = tls.connect(connect);
  const close = () => socket.destroy();
  const result = Promise.withResolvers<WssFrom>();
  const timer = setTimeout(
    () => result.reject(new Error(`no answer from ${url.href} as ${localAddress}`)),
    options.timeoutMs ?? 5000,
  );
  const fail = (why: string) => {
    close();
    result.reject(new Error(`${localAddress}: ${why}`));
  };
  socket.once("error", (error: Error) => fail(error.message));
  socket.once("close", () => fail("closed before an answer"));
  socket.once("secureConnect", () => {
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    const extra = Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`);
    socket.write(
      `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
        `${extra.join("")}\r\n`,
    );
  });
  let buffer = new Uint8Array(0);
  let upgraded = false;
  socket.on("data", (chunk: Uint8Array) => {
    const merged = new Uint8Array(buffer.length + chunk.length);
    merged.set(buffer);
    merged.set(chunk, buffer.length);
    buffer = merged;
    if (!upgraded) {
      const end = decoder.decode(buffer).indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = decoder.decode(buffer.subarray(0, end));
      if (!head.startsWith("HTTP/1.1 101")) {
        return fail(`upgrade refused: ${head.split("\r\n")[0]}`);
      }
      upgraded = true;
      buffer = buffer.subarray(end + 4);
      socket.write(textFrame(JSON.stringify({ _event: "session", _seq: 1 })));
    }
    for (let frame = readFrame(buffer); frame !== null; frame = readFrame(buffer)) {
      buffer = buffer.subarray(frame.size);
      const done = (outcome: "open" | number) => {
        clearTimeout(timer);
        socket.removeAllListeners("close");
        socket.on("error", () => {});
        result.resolve({ outcome, close });
      };
      if (frame.opcode === 0x8) {
        return done(
          frame.payload.length >= 2 ? (frame.payload[0]! << 8) | frame.payload[1]! : 1005,
        );
      }
      if (frame.opcode === 0x1 && JSON.parse(decoder.decode(frame.payload)).seq === 1) {
        return done("open");
      }
    }
  });
  return result.promise;
}
