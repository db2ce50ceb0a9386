/**
 * Properties of `RawWebSocket`'s reader over a fake socket: any sequence of
 * valid client frames, cut into chunks anywhere, yields the same messages;
 * an oversize declaration is refused before its payload arrives; invalid
 * UTF-8 closes with 1007.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import fc from "fast-check";
import { RawWebSocket } from "./raw_websocket.ts";

class FakeSocket extends EventEmitter {
  written: Buffer[] = [];
  ended = false;
  destroyed = false;
  paused = false;
  writableLength = 0;
  write(b: Uint8Array | string) {
    this.written.push(Buffer.from(b as Uint8Array));
    return true;
  }
  end() {
    this.ended = true;
  }
  destroy() {
    this.destroyed = true;
    this.emit("close");
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  setNoDelay() {}
  setTimeout() {}
  /** Server frames written so far: [opcode, payload]. */
  frames(): [number, Buffer][] {
    const all = Buffer.concat(this.written);
    const out: [number, Buffer][] = [];
    let i = 0;
    while (i < all.length) {
      let len = all[i + 1]! & 0x7f, off = i + 2;
      if (len === 126) len = all.readUInt16BE(i + 2), off = i + 4;
      else if (len === 127) len = Number(all.readBigUInt64BE(i + 2)), off = i + 10;
      out.push([all[i]! & 0xf, all.subarray(off, off + len)]);
      i = off + len;
    }
    return out;
  }
}

function clientFrame(opcode: number, payload: Uint8Array, fin: boolean, mask: number[]): Buffer {
  const len = payload.length;
  const ext = len < 126 ? 0 : len < 0x10000 ? 2 : 8;
  const out = Buffer.alloc(2 + ext + 4 + len);
  out[0] = (fin ? 0x80 : 0) | opcode;
  if (ext === 0) out[1] = 0x80 | len;
  else if (ext === 2) out[1] = 0x80 | 126, out.writeUInt16BE(len, 2);
  else out[1] = 0x80 | 127, out.writeBigUInt64BE(BigInt(len), 2);
  out.set(mask, 2 + ext);
  for (let i = 0; i < len; i++) out[2 + ext + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return out;
}

function open(maxFrameBytes = 65536) {
  const socket = new FakeSocket();
  const messages: string[] = [];
  const closes: number[] = [];
  new RawWebSocket(socket as unknown as Socket, new Uint8Array(0), {
    maxFrameBytes,
    closeTimeoutMs: 10,
  }, {
    onMessage: (d, binary) =>
      messages.push(binary ? `bin:${(d as Buffer).toString("hex")}` : d as string),
    onClose: (code) => closes.push(code),
  }).start();
  return { socket, messages, closes };
}

function feedInChunks(socket: FakeSocket, bytes: Buffer, cuts: number[]) {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    if (p > prev) socket.emit("data", Buffer.from(bytes.subarray(prev, p)));
    prev = p;
  }
}

const mask = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });
// A message: its text, split into 1–4 fragments (at byte offsets), with pings between.
const message = fc.record({
  text: fc.string({ unit: "grapheme", maxLength: 300 }),
  cuts: fc.array(fc.nat(), { maxLength: 3 }),
  pingBetween: fc.boolean(),
  mask,
});

Deno.test("any valid frame sequence, chunked anywhere, gives the same messages", () => {
  fc.assert(
    fc.property(
      fc.array(message, { minLength: 1, maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 20 }),
      (msgs, cuts) => {
        const parts: Buffer[] = [];
        let pings = 0;
        for (const m of msgs) {
          const bytes = Buffer.from(m.text, "utf8");
          const points = [...new Set(m.cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) =>
            a - b
          );
          const pieces: Buffer[] = [];
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            if (p >= prev) pieces.push(bytes.subarray(prev, p));
            prev = p;
          }
          pieces.forEach((piece, i) => {
            parts.push(clientFrame(i === 0 ? 1 : 0, piece, i === pieces.length - 1, m.mask));
            if (m.pingBetween && i < pieces.length - 1) {
              parts.push(clientFrame(9, Buffer.from("p"), true, m.mask));
              pings++;
            }
          });
        }
        const { socket, messages, closes } = open();
        feedInChunks(socket, Buffer.concat(parts), cuts);
        const pongs = socket.frames().filter(([op]) => op === 10).length;
        return JSON.stringify(messages) === JSON.stringify(msgs.map((m) => m.text)) &&
          pongs === pings &&
          closes.length === 0;
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("a declared length over the limit is refused (1009) from the header alone", () => {
  // Half the runs in the drained range (≤ 1 MiB), half beyond.
  fc.assert(
    fc.property(
      fc.oneof(
        fc.integer({ min: 65537, max: 1024 * 1024 }),
        fc.integer({ min: 1024 * 1024 + 1, max: 2 ** 40 }),
      ),
      mask,
      (declared, m) => {
        const { socket, closes } = open();
        const head = clientFrame(1, Buffer.alloc(0), true, m);
        // Rewrite the length field to the declared size (no payload follows).
        const hdr = Buffer.alloc(14);
        hdr[0] = 0x81;
        hdr[1] = 0x80 | 127;
        hdr.writeBigUInt64BE(BigInt(declared), 2);
        hdr.set(head.subarray(2, 6), 10);
        socket.emit("data", hdr);
        const f = socket.frames();
        // Up to 1 MiB the refused payload is drained (read and dropped); beyond, reading stops.
        const ok = f.length === 1 && f[0]![0] === 8 && f[0]![1].readUInt16BE(0) === 1009 &&
          socket.paused === declared > 1024 * 1024 && closes.length <= 1;
        socket.destroy(); // returns its share of the drain budget
        return ok;
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("invalid UTF-8 anywhere in a message closes with 1007", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), mask, (bytes, m) => {
      let valid = true;
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        valid = false;
      }
      const { socket, messages } = open();
      socket.emit("data", clientFrame(1, bytes, true, m));
      const f = socket.frames();
      return valid
        ? messages.length === 1 && f.length === 0
        : messages.length === 0 && f.length === 1 && f[0]![1].readUInt16BE(0) === 1007;
    }),
    { numRuns: 500 },
  );
});
