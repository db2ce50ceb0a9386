/**
 * A latency histogram with logarithmic buckets (2 % wide, 1 µs to ~100 s),
 * constant in memory, mergeable across processes and exact in count and
 * maximum. Percentiles are read as the upper bound of their bucket, so they
 * are at most 2 % high.
 *
 * @module
 */

const MIN_MS = 0.001;
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = 940;

/**
 * @typedef {{ n: number, max: number, sum: number, b: Array<[number, number]> }} HistogramJson
 */

export class Histogram {
  constructor() {
    this.counts = new Float64Array(BUCKETS);
    this.n = 0;
    this.max = 0;
    this.sum = 0;
  }

  /** @param {number} ms */
  add(ms) {
    const v = ms > 0 ? ms : 0;
    let i = v <= MIN_MS ? 0 : Math.ceil(Math.log(v / MIN_MS) / LOG_GROWTH);
    if (i >= BUCKETS) i = BUCKETS - 1;
    this.counts[i]++;
    this.n++;
    this.sum += v;
    if (v > this.max) this.max = v;
  }

  /** @param {HistogramJson} json */
  merge(json) {
    for (const [i, c] of json.b) this.counts[i] += c;
    this.n += json.n;
    this.sum += json.sum;
    if (json.max > this.max) this.max = json.max;
  }

  /**
   * The value below which a share `q` (0..1) of the samples lie; NaN when empty.
   * @param {number} q
   */
  percentile(q) {
    if (this.n === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(MIN_MS * GROWTH ** i, this.max);
    }
    return this.max;
  }

  mean() {
    return this.n === 0 ? NaN : this.sum / this.n;
  }

  /** @returns {HistogramJson} */
  toJSON() {
    /** @type {Array<[number, number]>} */
    const b = [];
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i] > 0) b.push([i, this.counts[i]]);
    return { n: this.n, max: this.max, sum: this.sum, b };
  }
}
