import { and, eq, sql } from "drizzle-orm";
import { organisationDomains, organisationUnits } from "#db/schema";
import type { Db, Tx } from "~/db.server";

/**
 * Whether an address is in one of the municipality's own domains (stored lower-cased): what join
 * links, the municipality's login and its directory all require of a person's address.
 */
export function isOwnAddress(database: Db | Tx, organisationId: number, address: string) {
  const domain = address.slice(address.lastIndexOf("@") + 1);
  return (
    database
      .select({ domain: organisationDomains.domain })
      .from(organisationDomains)
      .where(and(eq(organisationDomains.domain, domain), eq(organisationDomains.organisationId, organisationId)))
      .get() !== undefined
  );
}

/** The municipality's unit with this name, compared without regard to case; null when it has none. */
export function unitIdByName(
  database: Db | Tx,
  organisationId: number,
  name: string | null | undefined,
): number | null {
  if (!name) return null;
  return (
    database
      .select({ id: organisationUnits.id })
      .from(organisationUnits)
      .where(
        and(
          eq(organisationUnits.organisationId, organisationId),
          sql`lower(${organisationUnits.name}) = lower(${name.trim()})`,
        ),
      )
      .get()?.id ?? null
  );
}
