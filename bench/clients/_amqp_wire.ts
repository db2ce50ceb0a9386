/**
 * A minimal AMQP 0-9-1 consumer written from the protocol specification,
 * for one measurement only: how much CPU a message costs a consumer that
 * does nothing but read the socket, cut frames and decode the body, so the
 * client library's own per-message cost can be told apart
 * (`amqp_consumer.ts`, mode `wire`). No reconnect, no heartbeats (it
 * negotiates them off), no flow control: never use it in the gateway.
 *
 * Reading: one `read` per socket chunk, every complete frame in it cut
 * synchronously; a delivery is its method frame (routing key), header
 * frame (body size) and body frames.
 *
 * @module
 */

const FRAME_END = 0xce;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Builds method frames; every argument type a consumer's setup needs. */
class Writer {
  #bytes: number[] = [];
  u8(v: number): this {
    this.#bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  short(s: string): this {
    const b = encoder.encode(s);
    this.u8(b.length);
    for (const x of b) this.#bytes.push(x);
    return this;
  }
  long(s: string): this {
    const b = encoder.encode(s);
    this.u32(b.length);
    for (const x of b) this.#bytes.push(x);
    return this;
  }
  emptyTable(): this {
    return this.u32(0);
  }
  method(channel: number, classId: number, methodId: number): Uint8Array {
    const payload = [classId >> 8, classId & 0xff, methodId >> 8, methodId & 0xff, ...this.#bytes];
    const out = new Uint8Array(7 + payload.length + 1);
    const view = new DataView(out.buffer);
    out[0] = 1;
    view.setUint16(1, channel);
    view.setUint32(3, payload.length);
    out.set(payload, 7);
    out[out.length - 1] = FRAME_END;
    return out;
  }
}

interface Frame {
  type: number;
  channel: number;
  payload: Uint8Array;
}

/** The consumer: connect, declare, bind and consume, then `onMessage` for every delivery. */
export class WireConsumer {
  readonly #conn: Deno.TcpConn;
  #buf = new Uint8Array(1 << 20);
  #start = 0;
  #end = 0;
  #routingKey = "";
  #bodySize = 0;
  #body: Uint8Array[] = [];
  #received = 0;
  #onMessage: (topic: string, body: string) => void = () => {};

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  static async open(url: string): Promise<WireConsumer> {
    const u = new URL(url);
    const conn = await Deno.connect({ hostname: u.hostname, port: Number(u.port || 5672) });
    conn.setNoDelay(true);
    const c = new WireConsumer(conn);
    await c.#write(new Uint8Array([65, 77, 81, 80, 0, 0, 9, 1]));
    await c.#expect(10, 10); // connection.start
    const user = decodeURIComponent(u.username || "guest");
    const pass = decodeURIComponent(u.password || "guest");
    await c.#write(
      new Writer().emptyTable().short("PLAIN").long(`\0${user}\0${pass}`).short("en_US")
        .method(0, 10, 11),
    );
    const tune = await c.#expect(10, 30);
    const tv = new DataView(tune.buffer, tune.byteOffset, tune.byteLength);
    await c.#write(new Writer().u16(tv.getUint16(0)).u32(tv.getUint32(2)).u16(0).method(0, 10, 31));
    const vhost = decodeURIComponent(u.pathname.slice(1)) || "/";
    await c.#write(new Writer().short(vhost).short("").u8(0).method(0, 10, 40));
    await c.#expect(10, 41);
    await c.#write(new Writer().short("").method(1, 20, 10));
    await c.#expect(20, 11);
    return c;
  }

  /** Declares `exchange` (topic, not durable) and an exclusive queue bound to `keys`, and consumes it without acks. */
  async consume(
    exchange: string,
    keys: readonly string[],
    onMessage: (topic: string, body: string) => void,
  ): Promise<void> {
    this.#onMessage = onMessage;
    await this.#write(
      new Writer().u16(0).short(exchange).short("topic").u8(0).emptyTable().method(1, 40, 10),
    );
    await this.#expect(40, 11);
    // exclusive + auto-delete, server-named
    await this.#write(new Writer().u16(0).short("").u8(0b01100).emptyTable().method(1, 50, 10));
    const ok = await this.#expect(50, 11);
    const queue = decoder.decode(ok.subarray(1, 1 + (ok[0] as number)));
    for (const key of keys) {
      await this.#write(
        new Writer().u16(0).short(queue).short(exchange).short(key).u8(0).emptyTable()
          .method(1, 50, 20),
      );
      await this.#expect(50, 21);
    }
    await this.#write(
      new Writer().u16(0).short(queue).short("").u8(0b10).emptyTable().method(1, 60, 20),
    );
    await this.#expect(60, 21);
    void this.#readLoop();
  }

  close(): void {
    try {
      this.#conn.close();
    } catch { /* closed */ }
  }

  async #write(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.length) off += await this.#conn.write(bytes.subarray(off));
  }

  /** Reads until a method frame `classId.methodId` arrives; its arguments. */
  async #expect(classId: number, methodId: number): Promise<Uint8Array> {
    for (;;) {
      const frame = this.#nextFrame() ?? (await this.#fill(), this.#nextFrame());
      if (frame === null || frame.type !== 1) continue;
      const p = frame.payload;
      const c = (p[0]! << 8) | p[1]!;
      const m = (p[2]! << 8) | p[3]!;
      if (c === classId && m === methodId) return p.slice(4);
      if ((c === 10 || c === 20) && m === (c === 10 ? 50 : 40)) {
        const reason = decoder.decode(p.subarray(7, 7 + (p[6] as number)));
        throw new Error(`broker closed the ${c === 10 ? "connection" : "channel"}: ${reason}`);
      }
    }
  }

  async #fill(): Promise<void> {
    if (this.#start > 0) {
      this.#buf.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
    }
    if (this.#end === this.#buf.length) {
      const bigger = new Uint8Array(this.#buf.length * 2);
      bigger.set(this.#buf);
      this.#buf = bigger;
    }
    const n = await this.#conn.read(this.#buf.subarray(this.#end));
    if (n === null) throw new Error("connection closed");
    this.#end += n;
  }

  /** The next complete frame in the buffer, or null. */
  #nextFrame(): Frame | null {
    const available = this.#end - this.#start;
    if (available < 8) return null;
    const b = this.#buf;
    const s = this.#start;
    const size = ((b[s + 3]! << 24) >>> 0) + (b[s + 4]! << 16) + (b[s + 5]! << 8) + b[s + 6]!;
    if (available < size + 8) return null;
    if (b[s + 7 + size] !== FRAME_END) throw new Error("bad frame end");
    this.#start = s + size + 8;
    return {
      type: b[s]!,
      channel: (b[s + 1]! << 8) | b[s + 2]!,
      payload: b.subarray(s + 7, s + 7 + size),
    };
  }

  async #readLoop(): Promise<void> {
    try {
      for (;;) {
        await this.#fill();
        for (let f = this.#nextFrame(); f !== null; f = this.#nextFrame()) this.#onFrame(f);
      }
    } catch {
      // closed: the measurement is over
    }
  }

  #onFrame(f: Frame): void {
    const p = f.payload;
    if (f.type === 1 && p[0] === 0 && p[1] === 60 && p[2] === 0 && p[3] === 60) {
      // basic.deliver: consumer-tag, delivery-tag (8), redelivered (1), exchange, routing-key
      let at = 4;
      at += 1 + p[at]!;
      at += 9;
      at += 1 + p[at]!;
      const len = p[at]!;
      this.#routingKey = decoder.decode(p.subarray(at + 1, at + 1 + len));
      return;
    }
    if (f.type === 2) {
      const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
      this.#bodySize = Number(v.getBigUint64(4));
      this.#received = 0;
      this.#body = [];
      if (this.#bodySize === 0) this.#onMessage(this.#routingKey, "");
      return;
    }
    if (f.type === 3) {
      this.#received += p.length;
      if (this.#received === this.#bodySize && this.#body.length === 0) {
        this.#onMessage(this.#routingKey, decoder.decode(p));
        return;
      }
      this.#body.push(p.slice());
      if (this.#received === this.#bodySize) {
        const all = new Uint8Array(this.#bodySize);
        let off = 0;
        for (const part of this.#body) {
          all.set(part, off);
          off += part.length;
        }
        this.#body = [];
        this.#onMessage(this.#routingKey, decoder.decode(all));
      }
    }
  }
}
