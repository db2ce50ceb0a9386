/**
 * The pages and their browser entries. Each page loads its own entry, which
 * imports only the islands that page renders; code the pages share is split
 * into chunks the browser caches once.
 *
 * @module
 */
export const PAGE_ENTRIES = {
  front_page: "boot/front_page.ts",
  dashboard: "boot/dashboard.ts",
} as const;

export type PageName = keyof typeof PAGE_ENTRIES;
