import type { MessageKey } from "~/i18n/da";

/** What each staff answer at baseline is set against, in the order the report shows them. */
export const comparisons = ["completion", "followUp"] as const;
export type Comparison = (typeof comparisons)[number];

export const comparisonLabels: Record<Comparison, MessageKey> = {
  completion: "measurementReport.comparison.completion",
  followUp: "measurementReport.comparison.followUp",
};
