import { z } from "zod";
import { recordId } from "~/utils/form-schema";

/** The kinds of training mail an admin can switch off for the municipality, in the order the page shows them. */
export const trainingMailKinds = ["learnerReminders", "leaderDigest", "adminSummary"] as const;
export type TrainingMailKind = (typeof trainingMailKinds)[number];
export type TrainingMailSettings = Record<TrainingMailKind, boolean>;

/** The switches form: a checkbox left unticked is sent as nothing, which means off. */
export const mailSettingsSchema = z.object({
  organisationId: recordId,
  learnerReminders: z.boolean().default(false),
  leaderDigest: z.boolean().default(false),
  adminSummary: z.boolean().default(false),
});
