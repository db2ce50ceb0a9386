/**
 * axe-core, the accessibility engine, run inside a real page. Its findings
 * are reported in its own words: rule, impact, help text and link, and for
 * each offending element its selector, markup and what to fix.
 *
 * @module
 */
import type { Page } from "playwright-core";
import { ensureAuditTools } from "../../tools/audit_tools.ts";

/** The rule sets audited: WCAG 2.0, 2.1 and 2.2, levels A and AA, and axe's best practices. */
export const AXE_TAGS = [
  "wcag2a",
  "wcag2aa",
  "wcag21a",
  "wcag21aa",
  "wcag22aa",
  "best-practice",
] as const;

/** One violated rule, as axe reports it. */
export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly helpUrl: string;
  readonly nodes: ReadonlyArray<{
    readonly target: unknown[];
    readonly html: string;
    readonly failureSummary?: string;
  }>;
}

export interface AxeReport {
  readonly version: string;
  readonly violations: readonly AxeViolation[];
  /** How many rules passed: a check that axe ran at all. */
  readonly passes: number;
}

let source: Promise<string> | undefined;

/**
 * Runs axe on the page as it is now. The script is evaluated through the
 * DevTools protocol, which the page's Content-Security-Policy does not
 * govern, so the page is audited under its real policy.
 */
export async function runAxe(page: Page): Promise<AxeReport> {
  source ??= ensureAuditTools().then((tools) => Deno.readTextFile(tools.axeScript));
  const script = await source;
  await page.evaluate(`if (!globalThis.axe) { ${script}\n }`);
  return await page.evaluate(async (tags) => {
    // deno-lint-ignore no-explicit-any
    const axe = (globalThis as any).axe;
    const results = await axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    return {
      version: axe.version as string,
      passes: results.passes.length as number,
      // deno-lint-ignore no-explicit-any
      violations: results.violations.map((violation: any) => ({
        id: violation.id,
        impact: violation.impact ?? null,
        help: violation.help,
        helpUrl: violation.helpUrl,
        // deno-lint-ignore no-explicit-any
        nodes: violation.nodes.map((node: any) => ({
          target: node.target,
          html: node.html,
          failureSummary: node.failureSummary,
        })),
      })),
    };
  }, [...AXE_TAGS]);
}

/** The violations as axe words them, one block per rule. */
export function formatAxeViolations(report: AxeReport): string {
  return report.violations.map((violation) => {
    const nodes = violation.nodes.map((node) =>
      [
        `    ${JSON.stringify(node.target)}`,
        `      ${node.html.slice(0, 300)}`,
        ...(node.failureSummary ?? "").split("\n").map((line) => `      ${line}`),
      ].join("\n")
    );
    return [
      `  ${violation.id} (${violation.impact ?? "no impact"}): ${violation.help}`,
      `    ${violation.helpUrl}`,
      ...nodes,
    ].join("\n");
  }).join("\n");
}
