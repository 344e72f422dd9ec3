import { z } from "zod";
import { ssoSeatPolicies } from "#db/schema";
import { message, recordId, requiredText, safeLine } from "~/utils/form-schema";

/** One name per line; blank lines and spaces around a name do not count. */
const groupList = z
  .string()
  .max(10_000, message("sso.admin.groupsTooLong"))
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(
        z
          .string()
          .max(200, message("sso.admin.groupsTooLong"))
          .refine(...safeLine),
      )
      .max(200, message("sso.admin.groupsTooLong")),
  );

const claimName = requiredText(100, "sso.admin.claimTooLong");

/**
 * Whether an https address is required is the server's to say (a provider on this machine may use
 * http outside production), so the form only asks for a web address here.
 */
const issuerField = requiredText(500, "sso.admin.issuerInvalid").refine((value) => {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === "https:" || protocol === "http:";
}, message("sso.admin.issuerInvalid"));

/** The municipality's OpenID Connect connection. An empty secret keeps the one already stored. */
export const oidcConnectionSchema = z.object({
  intent: z.literal("save"),
  organisationId: recordId,
  issuer: issuerField,
  clientId: requiredText(200, "sso.admin.clientIdTooLong"),
  clientSecret: z.string().max(1000, message("sso.admin.secretTooLong")).optional(),
  claimEmail: claimName,
  claimName: claimName,
  claimUnit: claimName,
  claimProfession: claimName,
  claimGroups: claimName,
  leaderGroups: groupList,
  adminGroups: groupList,
  seatPolicy: z.enum(ssoSeatPolicies, message("validation.required")),
  enabled: z.boolean().default(false),
});

export const testConnectionSchema = z.object({ intent: z.literal("test"), organisationId: recordId });
