/**
 * The fan-out chart, drawn as SVG by hand: delivered throughput (left) and
 * p99 latency (right) against offered load, log–log, one line per system.
 * An open marker is a saturated step; the dashed diagonal is "delivered =
 * offered".
 *
 * @module
 */
import type { ScenarioResult } from "../parts/fanout.ts";
import type { SystemName } from "./systems.ts";

const COLORS: Record<SystemName, string> = {
  "baseline": "#4b5563",
  "baseline-batched": "#9ca3af",
  "gateway": "#2563eb",
  "gateway-before": "#60a5fa",
  "gateway-zero-timers": "#059669",
  "gateway-microtask-timers": "#0d9488",
  "gateway-amqp": "#7c3aed",
  "gateway-amqp-batched": "#a78bfa",
  "socketio": "#ea580c",
  "socketio-client": "#fdba74",
};
const MARKERS: Record<SystemName, "circle" | "square" | "triangle" | "diamond"> = {
  "baseline": "square",
  "baseline-batched": "square",
  "gateway": "circle",
  "gateway-before": "circle",
  "gateway-zero-timers": "circle",
  "gateway-microtask-timers": "circle",
  "gateway-amqp": "diamond",
  "gateway-amqp-batched": "diamond",
  "socketio": "triangle",
  "socketio-client": "triangle",
};

/** Drawn dashed: a variant of the system drawn in the same hue. */
const DASHED: ReadonlySet<SystemName> = new Set(["baseline-batched", "gateway-before"]);

const W = 1000;
const H = 480;
const PANEL = { top: 64, height: 300, width: 390 };
const LEFT_X = 90;
const RIGHT_X = 580;

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function tickLabel(v: number, unit = ""): string {
  if (v >= 1e6) return `${v / 1e6}M${unit}`;
  if (v >= 1e3) return `${v / 1e3}k${unit}`;
  return `${v}${unit}`;
}

interface Axis {
  min: number;
  max: number;
}

function decades(values: number[], floor: number): Axis {
  const v = values.filter((x) => Number.isFinite(x) && x > 0);
  const lo = Math.max(floor, Math.min(...v));
  const hi = Math.max(...v, lo * 10);
  return { min: 10 ** Math.floor(Math.log10(lo)), max: 10 ** Math.ceil(Math.log10(hi)) };
}

function scale(axis: Axis, from: number, length: number, invert: boolean) {
  const a = Math.log10(axis.min);
  const b = Math.log10(axis.max);
  return (v: number) => {
    const t = (Math.log10(Math.max(v, axis.min)) - a) / (b - a);
    return from + (invert ? (1 - t) : t) * length;
  };
}

function marker(kind: string, x: number, y: number, color: string, open: boolean): string {
  const fill = open ? "#ffffff" : color;
  const attrs = `fill="${fill}" stroke="${color}" stroke-width="1.5"`;
  switch (kind) {
    case "square":
      return `<rect x="${x - 4}" y="${y - 4}" width="8" height="8" ${attrs}/>`;
    case "triangle":
      return `<path d="M${x},${y - 5} L${x + 5},${y + 4} L${x - 5},${y + 4} Z" ${attrs}/>`;
    case "diamond":
      return `<path d="M${x},${y - 5} L${x + 5},${y} L${x},${y + 5} L${x - 5},${y} Z" ${attrs}/>`;
    default:
      return `<circle cx="${x}" cy="${y}" r="4.2" ${attrs}/>`;
  }
}

function panel(
  x0: number,
  title: string,
  xAxis: Axis,
  yAxis: Axis,
  yUnit: string,
  xLabel: string,
  yLabel: string,
): { svg: string[]; sx: (v: number) => number; sy: (v: number) => number } {
  const { top, height, width } = PANEL;
  const sx = scale(xAxis, x0, width, false);
  const sy = scale(yAxis, top, height, true);
  const out: string[] = [];
  out.push(
    `<rect x="${x0}" y="${top}" width="${width}" height="${height}" fill="#fafafa" stroke="#d1d5db"/>`,
  );
  for (let v = xAxis.min; v <= xAxis.max * 1.0001; v *= 10) {
    const x = sx(v);
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${top + height}" stroke="#e5e7eb"/>`);
    out.push(
      `<text x="${x}" y="${top + height + 16}" text-anchor="middle" fill="#374151">${
        tickLabel(v)
      }</text>`,
    );
  }
  for (let v = yAxis.min; v <= yAxis.max * 1.0001; v *= 10) {
    const y = sy(v);
    out.push(`<line x1="${x0}" y1="${y}" x2="${x0 + width}" y2="${y}" stroke="#e5e7eb"/>`);
    out.push(
      `<text x="${x0 - 6}" y="${y + 4}" text-anchor="end" fill="#374151">${
        tickLabel(v, yUnit)
      }</text>`,
    );
  }
  out.push(
    `<text x="${x0 + width / 2}" y="${top - 10}" text-anchor="middle" font-weight="600">${
      esc(title)
    }</text>`,
  );
  out.push(
    `<text x="${x0 + width / 2}" y="${top + height + 34}" text-anchor="middle" fill="#374151">${
      esc(xLabel)
    }</text>`,
  );
  const ly = top + height / 2;
  out.push(
    `<text x="${x0 - 58}" y="${ly}" text-anchor="middle" fill="#374151" transform="rotate(-90 ${
      x0 - 58
    } ${ly})">${esc(yLabel)}</text>`,
  );
  return { svg: out, sx, sy };
}

/** The SVG of one fan-out scenario. */
export function fanoutChart(scenario: ScenarioResult, subtitle: string): string {
  const runs = scenario.systems.filter((s) => s.steps.length > 0);
  const offered = runs.flatMap((r) => r.steps.map((s) => s.offered));
  const delivered = runs.flatMap((r) => r.steps.map((s) => s.median.delivered));
  const p99 = runs.flatMap((r) => r.steps.map((s) => s.median.schedP99));
  const xAxis = decades(offered, 100);
  const yAxis = decades([...offered, ...delivered], 100);
  const latAxis = decades(p99, 1);
  const left = panel(
    LEFT_X,
    "Delivered throughput",
    xAxis,
    yAxis,
    "",
    "offered deliveries/s (events × spectators)",
    "delivered deliveries/s",
  );
  const right = panel(
    RIGHT_X,
    "p99 latency against the schedule",
    xAxis,
    latAxis,
    " ms",
    "offered deliveries/s (events × spectators)",
    "p99 latency, due → receipt",
  );
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ` +
      `font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="700">Log fan-out: ${
      esc(scenario.title)
    }</text>`,
  );
  out.push(`<text x="${W / 2}" y="40" text-anchor="middle" fill="#6b7280">${esc(subtitle)}</text>`);
  out.push(...left.svg, ...right.svg);
  // delivered = offered
  const lo = Math.max(xAxis.min, yAxis.min);
  const hi = Math.min(xAxis.max, yAxis.max);
  out.push(
    `<line x1="${left.sx(lo)}" y1="${left.sy(lo)}" x2="${left.sx(hi)}" y2="${left.sy(hi)}" ` +
      `stroke="#9ca3af" stroke-dasharray="4 4"/>`,
  );
  for (const run of runs) {
    const color = COLORS[run.system];
    const shape = MARKERS[run.system];
    const dash = DASHED.has(run.system) ? ` stroke-dasharray="6 3"` : "";
    for (const [p, key] of [[left, "delivered"], [right, "schedP99"]] as const) {
      // A step without a value (no latency sample arrived in time) is left out.
      const steps = run.steps.filter((s) => Number.isFinite(s.median[key]) && s.median[key] > 0);
      const pts = steps.map((s) => [p.sx(s.offered), p.sy(s.median[key])] as const);
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${
          pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ")
        }"/>`,
      );
      steps.forEach((s, i) => {
        const [x, y] = pts[i]!;
        out.push(marker(shape, x, y, color, s.saturated));
      });
    }
  }
  // Legend, wrapped onto a second row when it does not fit.
  let lx = LEFT_X;
  let ly = H - 50;
  for (const run of runs) {
    const width = 44 + run.label.length * 7;
    if (lx + width > W - 10) {
      lx = LEFT_X;
      ly += 16;
    }
    const color = COLORS[run.system];
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${color}" stroke-width="2"${
        DASHED.has(run.system) ? ` stroke-dasharray="6 3"` : ""
      }/>`,
    );
    out.push(marker(MARKERS[run.system], lx + 11, ly, color, false));
    out.push(`<text x="${lx + 28}" y="${ly + 4}" fill="#111827">${esc(run.label)}</text>`);
    lx += width;
  }
  out.push(
    `<text x="${LEFT_X}" y="${
      H - 12
    }" fill="#6b7280">Open marker: saturated step (delivered &lt; 90 % of offered, &gt; 1 % lost or p99 against the schedule &gt; 1 s). Dashed diagonal: delivered = offered. Medians of the repeats.</text>`,
  );
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
