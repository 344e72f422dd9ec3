import { and, eq } from "drizzle-orm";
import { identityProviders, organisationDomains, organisations } from "#db/schema";
import { normaliseEmail } from "~/auth/auth.server";
import { db } from "~/db.server";
import { municipalSignInPath } from "./connections.server";

export type MunicipalLogin = {
  /** Where the intranet link and the sign-in page send the person: `/sso/<slug>/start`. */
  startPath: string;
  organisationName: string;
  /** The municipality lets these addresses in only through its own login. */
  passwordSignInDisabled: boolean;
};

/**
 * The municipality's own login for an address, when the address's domain belongs to a
 * municipality whose provider is switched on. The domain decides, never what the person claims to
 * work for, and a domain belongs to one municipality only.
 */
export function municipalLoginFor(email: string): MunicipalLogin | null {
  const address = normaliseEmail(email);
  const domain = address.slice(address.lastIndexOf("@") + 1);
  const row = db
    .select({
      slug: organisations.slug,
      organisationName: organisations.name,
      passwordSignInDisabled: identityProviders.passwordSignInDisabled,
    })
    .from(organisationDomains)
    .innerJoin(organisations, eq(organisations.id, organisationDomains.organisationId))
    .innerJoin(identityProviders, eq(identityProviders.organisationId, organisations.id))
    .where(and(eq(organisationDomains.domain, domain), eq(identityProviders.enabled, true)))
    .get();
  if (!row) return null;
  return {
    startPath: municipalSignInPath(row.slug),
    organisationName: row.organisationName,
    passwordSignInDisabled: row.passwordSignInDisabled,
  };
}
