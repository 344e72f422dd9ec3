import { z } from "zod";
import { message, recordId } from "~/utils/form-schema";

/** Creates the directory's token, or a new one in place of the one it has (the old one stops). */
export const issueTokenSchema = z.object({ intent: z.literal("issue"), organisationId: recordId });

export const revokeTokenSchema = z.object({ intent: z.literal("revoke"), organisationId: recordId });

/** Ties one of the directory's groups to a unit; "none" unties it. */
export const groupUnitSchema = z.object({
  intent: z.literal("groupUnit"),
  organisationId: recordId,
  groupId: z.string(message("validation.required")).uuid(message("validation.required")),
  unitId: z.union([z.literal("none"), recordId], message("validation.required")),
});

/** One form per group, named by the group, so a reply shows under the group it was about. */
export const groupFormId = (groupId: string) => `scim-group-${groupId}`;
