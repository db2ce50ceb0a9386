import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";

/**
 * RFC 6455 framing, server side: what the gateway writes (unmasked frames,
 * a text frame encoded once for many sockets) and the pieces the reader
 * needs (opcodes, close payloads and codes, unmasking, the handshake key).
 *
 * @module
 */

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** The `Sec-WebSocket-Accept` value for a client key. */
export function acceptKey(key: string): string {
  return createHash("sha1").update(key + GUID).digest("base64");
}

/** One unmasked (server) frame, FIN set: header and payload in one buffer. */
export function encodeFrame(opcode: number, payload: string | Uint8Array): Buffer {
  const len = typeof payload === "string" ? Buffer.byteLength(payload, "utf8") : payload.byteLength;
  const hdr = len < 126 ? 2 : len < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(hdr + len);
  frame[0] = 0x80 | opcode;
  if (len < 126) {
    frame[1] = len;
  } else if (len < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(len, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(len / 0x100000000), 2);
    frame.writeUInt32BE(len >>> 0, 6);
  }
  if (typeof payload === "string") frame.write(payload, hdr, "utf8");
  else frame.set(payload, hdr);
  return frame;
}

let lastText = "";
let lastFrame: Buffer = encodeFrame(Opcode.text, "");

/**
 * A text frame. A fan-out hands the same string to many sockets one after
 * another: it is encoded once and the same bytes are written to each (the
 * last string encoded is remembered; strings are immutable, so it is safe).
 */
export function encodeText(text: string): Buffer {
  if (text !== lastText) {
    lastText = text;
    lastFrame = encodeFrame(Opcode.text, text);
  }
  return lastFrame;
}

/** A close frame's payload: the code and a reason cut to fit 123 bytes (whole characters). */
export function closePayload(code: number, reason: string): Buffer {
  let r = Buffer.from(reason, "utf8");
  if (r.length > 123) {
    let end = 123;
    while (end > 0 && (r[end]! & 0xc0) === 0x80) end--; // do not cut a character in two
    r = r.subarray(0, end);
  }
  const p = Buffer.allocUnsafe(2 + r.length);
  p.writeUInt16BE(code, 0);
  p.set(r, 2);
  return p;
}

/** Close codes a peer may send (RFC 6455 §7.4 and the IANA registry). */
export function validCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
    (code >= 3000 && code <= 4999);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * A peer's close frame payload: its code (1005 when absent) and reason, or
 * the close code its malformation earns (1002, or 1007 for a reason that
 * is not UTF-8).
 */
export function parseClosePayload(
  payload: Buffer,
): { code: number; reason: string } | { fail: 1002 | 1007; why: string } {
  if (payload.length === 0) return { code: 1005, reason: "" };
  if (payload.length === 1) return { fail: 1002, why: "bad close frame" };
  const code = payload.readUInt16BE(0);
  if (!validCloseCode(code)) return { fail: 1002, why: "bad close code" };
  try {
    return { code, reason: strictUtf8.decode(payload.subarray(2)) };
  } catch {
    return { fail: 1007, why: "invalid UTF-8 in close reason" };
  }
}

/** XORs `payload` in place with the 4-byte mask (given as a big-endian u32). */
export function unmask(payload: Buffer, mask: number): void {
  const m0 = mask >>> 24, m1 = (mask >>> 16) & 0xff, m2 = (mask >>> 8) & 0xff, m3 = mask & 0xff;
  const n = payload.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    payload[i] = payload[i]! ^ m0;
    payload[i + 1] = payload[i + 1]! ^ m1;
    payload[i + 2] = payload[i + 2]! ^ m2;
    payload[i + 3] = payload[i + 3]! ^ m3;
  }
  const ms = [m0, m1, m2, m3];
  for (let j = 0; i < n; i++, j++) payload[i] = payload[i]! ^ ms[j]!;
}
