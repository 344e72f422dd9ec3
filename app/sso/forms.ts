import { z } from "zod";
import { ssoSeatPolicies, type SsoClaimMap, type SsoSeatPolicy } from "#db/schema";
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

/**
 * The attribute names of OIOSAML 3 (as KOMBIT's Context Handler and most Danish providers send
 * them) where there is one; unit and job title have none, so they keep the common names.
 */
export const defaultSamlClaimMap: SsoClaimMap = {
  email: "https://data.gov.dk/model/core/eid/email",
  name: "https://data.gov.dk/model/core/eid/fullName",
  unit: "department",
  profession: "jobTitle",
  groups: "https://data.gov.dk/model/core/eid/privilegesIntermediate",
};

/** Metadata and PEM files are small; a megabyte leaves room for a federation's long certificate list. */
export const maxSamlFileBytes = 900 * 1024;

const optionalPem = z
  .string()
  .max(20_000, message("sso.saml.pemTooLong"))
  .optional()
  .refine((value) => !value || /-----BEGIN [A-Z ]+-----/.test(value), message("sso.saml.pemInvalid"));

/** What both protocols ask: where the person's details are, which groups give roles, seats, and passwords. */
const signInRuleFields = {
  claimEmail: claimName,
  claimName: claimName,
  claimUnit: claimName,
  claimProfession: claimName,
  claimGroups: claimName,
  leaderGroups: groupList,
  adminGroups: groupList,
  seatPolicy: z.enum(ssoSeatPolicies, message("validation.required")),
  enabled: z.boolean().default(false),
  passwordSignInDisabled: z.boolean().default(false),
};

export type SignInRules = {
  claimMap: SsoClaimMap;
  leaderGroups: string[];
  adminGroups: string[];
  seatPolicy: SsoSeatPolicy;
  enabled: boolean;
  passwordSignInDisabled: boolean;
};

/** The rules as the connection stores them, from either form's checked value. */
export function signInRulesFrom(value: z.output<z.ZodObject<typeof signInRuleFields>>): SignInRules {
  return {
    claimMap: {
      email: value.claimEmail,
      name: value.claimName,
      unit: value.claimUnit,
      profession: value.claimProfession,
      groups: value.claimGroups,
    },
    leaderGroups: value.leaderGroups,
    adminGroups: value.adminGroups,
    seatPolicy: value.seatPolicy,
    enabled: value.enabled,
    passwordSignInDisabled: value.passwordSignInDisabled,
  };
}

/**
 * The municipality's SAML 2.0 connection. The provider's metadata comes from its address or a
 * file; left out, the stored metadata is kept. The platform's own certificate is made on the
 * first save unless the admin gives one (with its key, which is never shown again).
 */
export const samlConnectionSchema = z.object({
  intent: z.literal("saveSaml"),
  organisationId: recordId,
  metadataUrl: z
    .string()
    .max(500, message("sso.saml.metadataUrlInvalid"))
    .optional()
    .refine(
      (value) => !value || (/^https?:\/\//.test(value) && URL.canParse(value)),
      message("sso.saml.metadataUrlInvalid"),
    ),
  metadataFile: z
    .instanceof(File)
    .optional()
    .refine((file) => !file || file.size <= maxSamlFileBytes, message("sso.saml.metadataTooLarge")),
  spCertificate: optionalPem,
  spPrivateKey: optionalPem,
  ...signInRuleFields,
});

/** The municipality's OpenID Connect connection. An empty secret keeps the one already stored. */
export const oidcConnectionSchema = z.object({
  intent: z.literal("save"),
  organisationId: recordId,
  issuer: issuerField,
  clientId: requiredText(200, "sso.admin.clientIdTooLong"),
  clientSecret: z.string().max(1000, message("sso.admin.secretTooLong")).optional(),
  ...signInRuleFields,
});

export const testConnectionSchema = z.object({ intent: z.literal("test"), organisationId: recordId });
