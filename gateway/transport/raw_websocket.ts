import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
import {
  closePayload,
  encodeFrame,
  encodeText,
  Opcode,
  parseClosePayload,
  unmask,
} from "./websocket_frames.ts";
import { ByteQueue } from "./_byte_queue.ts";

/**
 * The server side of RFC 6455 over a raw socket (the one a `node:http`
 * server hands to its "upgrade" listener), written for what the runtime's
 * own WebSocket cannot do:
 * - an oversized frame is refused from its header (close 1009), before its
 *   payload is buffered: a connection holds at most one frame within the
 *   limit plus one read chunk;
 * - invalid UTF-8 closes with 1007, unmasked client frames with 1002;
 * - a server close is a real close handshake: after sending it, incoming
 *   data frames are skipped unread (not stored) while the peer's close is
 *   awaited, so the peer gets every frame sent before and then the code.
 *
 * Also: fragmentation with a message limit, ping/pong, the close timeout.
 * Not covered: extensions (permessage-deflate is never negotiated),
 * subprotocols, client mode.
 *
 * @module
 */

const OPEN = 0, CLOSING = 1, CLOSED = 2;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Refused payload bytes being read-and-dropped across all sockets, and the cap on that. */
let drainingBytes = 0;
const DRAIN_BUDGET_BYTES = 8 * 1024 * 1024;

export interface RawWebSocketOptions {
  /** Largest data frame payload accepted; a larger declared length closes with 1009. */
  maxFrameBytes: number;
  /** Largest message (sum of its fragments); default `maxFrameBytes`. */
  maxMessageBytes?: number;
  /** How long to wait for the peer's close frame after sending ours (default 5 s). */
  closeTimeoutMs?: number;
  /**
   * After refusing an oversized frame (1009), its payload is read and dropped
   * (so the peer can finish its frame and answer the close: a clean 1009 for
   * every client) when it is at most this many bytes and the process-wide
   * drain budget allows; otherwise the socket stops reading and is destroyed
   * after `refuseGraceMs`. Reading to drop is not free: every chunk read is a
   * fresh 64 KiB buffer, garbage until the next GC. Default 1 MiB.
   */
  drainOversizeUpTo?: number;
  /** Time for the close frame to reach the peer before the socket is destroyed (default 1 s). */
  refuseGraceMs?: number;
}

export interface RawWebSocketHandlers {
  onMessage(data: string | Buffer, binary: boolean): void;
  /** Once per connection. `clean`: both close frames were exchanged. */
  onClose(code: number, reason: string, clean: boolean): void;
  onPong?(payload: Buffer): void;
}

interface Header {
  fin: boolean;
  opcode: number;
  len: number;
  mask: number; // the 4 mask bytes as a big-endian u32
}

/** A server-side WebSocket over a raw socket whose HTTP upgrade is done. */
export class RawWebSocket {
  readonly #socket: Socket;
  readonly #h: RawWebSocketHandlers;
  readonly #maxFrame: number;
  readonly #maxMessage: number;
  readonly #closeTimeoutMs: number;
  readonly #drainUpTo: number;
  #drainCounted = 0; // this socket's share of the process-wide drain budget
  readonly #refuseGraceMs: number;

  #state = OPEN;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  #reported = false;
  /** Last time anything arrived (for a heartbeat sweep). */
  lastSeen = Date.now();

  // Parser state.
  readonly #bytes = new ByteQueue();
  #header: Header | null = null;
  #skip = 0; // payload bytes to drop without storing
  #discard = false; // after a protocol failure: drop everything
  #msgOpcode = 0; // opcode of the fragmented message in progress (0: none)
  #msgParts: Buffer[] = [];
  #msgBytes = 0;

  readonly #head: Uint8Array;
  #started = false;

  /**
   * Takes over `socket` (not yet read by anyone) after the 101 was written;
   * `head` holds bytes that came with the request. Nothing is read until
   * `start()`, so the caller can wire the connection first.
   */
  constructor(
    socket: Socket,
    head: Uint8Array,
    opts: RawWebSocketOptions,
    handlers: RawWebSocketHandlers,
  ) {
    this.#socket = socket;
    this.#head = head;
    this.#h = handlers;
    this.#maxFrame = opts.maxFrameBytes;
    this.#maxMessage = opts.maxMessageBytes ?? opts.maxFrameBytes;
    this.#closeTimeoutMs = opts.closeTimeoutMs ?? 5000;
    this.#drainUpTo = opts.drainOversizeUpTo ?? 1024 * 1024;
    this.#refuseGraceMs = opts.refuseGraceMs ?? 1000;
    socket.setNoDelay?.(true);
    socket.setTimeout?.(0);
    socket.on("end", () => {
      // Peer's FIN. The http server's sockets allow half-open: finish our side too.
      if (this.#state !== CLOSED) this.#state = CLOSED;
      socket.end();
    });
    socket.on("error", () => {}); // 'close' follows
    socket.on("close", () => {
      clearTimeout(this.#closeTimer);
      this.#uncountDrain(this.#drainCounted);
      this.#state = CLOSED;
      this.#report(1006, "", false);
    });
  }

  /**
   * Starts reading: first the bytes that came with the request (a client may
   * send whole frames with it; up to a full 64 KiB read was seen), then the
   * socket, in order. Once only.
   */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const head = this.#head;
    if (head.byteLength > 0) {
      this.#onData(Buffer.from(head.buffer, head.byteOffset, head.byteLength));
    }
    // Attaching the listener starts the flow (an explicit `resume()` would make `pause()`
    // unable to stop reading later, under Deno).
    this.#socket.on("data", (chunk: Buffer) => this.#onData(chunk));
  }

  get open(): boolean {
    return this.#state === OPEN;
  }

  /** Bytes handed to the socket and not yet flushed to the kernel (like `WebSocket.bufferedAmount`). */
  get bufferedAmount(): number {
    return this.#socket.writableLength;
  }

  send(data: string | Uint8Array): void {
    if (this.#state !== OPEN) return;
    this.#socket.write(
      typeof data === "string" ? encodeText(data) : encodeFrame(Opcode.binary, data),
    );
  }

  /** Writes a frame from `encodeText`/`encodeFrame` (shared bytes, no copy). */
  sendEncoded(frame: Uint8Array): void {
    if (this.#state !== OPEN) return;
    this.#socket.write(frame);
  }

  /** Drops the socket at once: no close handshake (for a peer that went silent). */
  destroy(): void {
    this.#state = CLOSED;
    this.#socket.destroy();
  }

  ping(payload: Uint8Array = new Uint8Array(0)): void {
    if (this.#state === OPEN) this.#socket.write(encodeFrame(Opcode.ping, payload));
  }

  /** Starts the close handshake; the socket ends when the peer answers or after the timeout. */
  close(code = 1000, reason = ""): void {
    if (this.#state !== OPEN) return;
    this.#state = CLOSING;
    this.#resetMessage();
    this.#socket.write(encodeFrame(Opcode.close, closePayload(code, reason)));
    this.#closeTimer = setTimeout(() => this.#socket.destroy(), this.#closeTimeoutMs);
    this.#report(code, reason, false, true);
  }

  #uncountDrain(n: number): void {
    const k = Math.min(n, this.#drainCounted);
    this.#drainCounted -= k;
    drainingBytes -= k;
  }

  #stopReading(graceMs: number): void {
    this.#discard = true;
    this.#bytes.clear();
    this.#socket.pause();
    clearTimeout(this.#closeTimer);
    this.#closeTimer = setTimeout(() => this.#socket.destroy(), graceMs);
  }

  /** Fails the connection (RFC 6455 §7.1.7): close frame, FIN, ignore the rest. */
  #fail(code: number, reason: string): void {
    this.#discard = true;
    this.#bytes.clear();
    this.#resetMessage();
    if (this.#state === OPEN) {
      this.#socket.write(encodeFrame(Opcode.close, closePayload(code, reason)));
    }
    this.#state = CLOSED;
    this.#socket.end();
    clearTimeout(this.#closeTimer);
    this.#closeTimer = setTimeout(() => this.#socket.destroy(), this.#closeTimeoutMs);
    this.#report(code, reason, false);
  }

  /** The app hears about the close once: when it starts it (pending) or when it ends. */
  #pendingClean: { code: number; reason: string } | undefined;
  #report(code: number, reason: string, clean: boolean, pending = false): void {
    if (this.#reported) return;
    if (pending) {
      this.#pendingClean = { code, reason };
      return;
    }
    this.#reported = true;
    const p = this.#pendingClean;
    this.#h.onClose(p?.code ?? code, p?.reason ?? reason, clean);
  }

  #resetMessage(): void {
    this.#msgOpcode = 0;
    this.#msgParts = [];
    this.#msgBytes = 0;
  }

  #onData(chunk: Buffer): void {
    if (this.#discard) return;
    this.lastSeen = Date.now();
    if (this.#skip > 0) {
      if (chunk.length <= this.#skip) {
        this.#skip -= chunk.length;
        this.#uncountDrain(chunk.length);
        return;
      }
      chunk = chunk.subarray(this.#skip);
      this.#uncountDrain(this.#skip);
      this.#skip = 0;
    }
    this.#bytes.push(chunk);
    while (!this.#discard) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, this.#bytes.length);
        this.#bytes.drop(n);
        this.#skip -= n;
        this.#uncountDrain(n);
        if (this.#skip > 0) return;
      }
      if (this.#header === null && !this.#parseHeader()) return;
      const h = this.#header;
      if (h === null) continue; // header consumed, payload skipped
      if (this.#bytes.length < h.len) return; // wait for the payload (bounded by the limits)
      this.#header = null;
      const payload = this.#bytes.take(h.len);
      if (h.mask !== 0) unmask(payload, h.mask);
      this.#frame(h, payload);
    }
  }

  /** Parses the next header if complete; false when more bytes are needed. */
  #parseHeader(): boolean {
    if (this.#bytes.length < 2) return false;
    const b0 = this.#bytes.byteAt(0), b1 = this.#bytes.byteAt(1);
    const len7 = b1 & 0x7f;
    const masked = (b1 & 0x80) !== 0;
    const size = 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (masked ? 4 : 0);
    if (this.#bytes.length < size) return false;
    const hb = this.#bytes.take(size);
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    if ((b0 & 0x70) !== 0) return this.#fail(1002, "reserved bits set"), true;
    if (!masked) return this.#fail(1002, "client frames must be masked"), true;
    let len = len7, off = 2;
    if (len7 === 126) {
      len = hb.readUInt16BE(2);
      off = 4;
    } else if (len7 === 127) {
      const hi = hb.readUInt32BE(2);
      if (hi >= 0x200000) return this.#fail(1009, "frame too large"), true; // > 2^53: nonsense
      len = hi * 0x100000000 + hb.readUInt32BE(6);
      off = 10;
    }
    const mask = hb.readUInt32BE(off);
    if (opcode >= 0x8) {
      if (opcode > Opcode.pong) return this.#fail(1002, "unknown opcode"), true;
      if (!fin || len > 125) return this.#fail(1002, "bad control frame"), true;
    } else {
      if (opcode > Opcode.binary) return this.#fail(1002, "unknown opcode"), true;
      if (this.#state !== OPEN) {
        this.#skip = len; // closing: data is ignored, never stored
        return true;
      }
      if (opcode === Opcode.continuation && this.#msgOpcode === 0) {
        return this.#fail(1002, "nothing to continue"), true;
      }
      if (opcode !== Opcode.continuation && this.#msgOpcode !== 0) {
        return this.#fail(1002, "expected continuation"), true;
      }
      if (len > this.#maxFrame || this.#msgBytes + len > this.#maxMessage) {
        this.close(1009, len > this.#maxFrame ? "frame too large" : "message too large");
        if (len <= this.#drainUpTo && drainingBytes + len <= DRAIN_BUDGET_BYTES) {
          // Skip the payload as it arrives: the framing stays intact, so the
          // peer's close reply can be read.
          this.#skip = len;
          this.#drainCounted = len;
          drainingBytes += len;
        } else {
          // Stop reading: the close frame goes out, TCP flow control holds the
          // rest of the payload in the peer's send buffer, and the socket is
          // destroyed after the grace period.
          this.#stopReading(this.#refuseGraceMs);
        }
        return true;
      }
    }
    this.#header = { fin, opcode, len, mask };
    return true;
  }

  #frame(h: Header, payload: Buffer): void {
    switch (h.opcode) {
      case Opcode.ping:
        if (this.#state === OPEN) this.#socket.write(encodeFrame(Opcode.pong, payload));
        return;
      case Opcode.pong:
        this.#h.onPong?.(payload);
        return;
      case Opcode.close:
        return this.#onCloseFrame(payload);
    }
    if (this.#state !== OPEN) return;
    if (h.opcode !== Opcode.continuation) this.#msgOpcode = h.opcode;
    if (h.fin && this.#msgParts.length === 0) {
      const opcode = this.#msgOpcode;
      this.#msgOpcode = 0;
      return this.#deliver(opcode, payload);
    }
    this.#msgParts.push(payload);
    this.#msgBytes += payload.length;
    if (!h.fin) return;
    const whole = Buffer.concat(this.#msgParts, this.#msgBytes);
    const opcode = this.#msgOpcode;
    this.#resetMessage();
    this.#deliver(opcode, whole);
  }

  #deliver(opcode: number, payload: Buffer): void {
    if (opcode === Opcode.binary) return this.#h.onMessage(payload, true);
    let text: string;
    try {
      text = utf8.decode(payload);
    } catch {
      return this.#fail(1007, "invalid UTF-8");
    }
    this.#h.onMessage(text, false);
  }

  #onCloseFrame(payload: Buffer): void {
    const parsed = parseClosePayload(payload);
    if ("fail" in parsed) return this.#fail(parsed.fail, parsed.why);
    const { code, reason } = parsed;
    if (this.#state === OPEN) {
      // Peer-initiated: echo its code, then end (the server closes TCP first).
      this.#socket.write(
        encodeFrame(Opcode.close, code === 1005 ? Buffer.alloc(0) : closePayload(code, "")),
      );
    }
    this.#state = CLOSED;
    this.#discard = true;
    clearTimeout(this.#closeTimer);
    this.#socket.end();
    // Still bounded if the peer never sends its FIN.
    this.#closeTimer = setTimeout(() => this.#socket.destroy(), this.#closeTimeoutMs);
    this.#report(code, reason, true);
  }
}
