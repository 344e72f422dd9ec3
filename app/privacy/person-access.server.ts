import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { memberships, organisations, users } from "#db/schema";
import { requireAdmin, type SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { administeredOrganisations } from "~/licensing/overview.server";
import { invariantResponse, requirePathId } from "~/utils/http.server";

/**
 * The municipality a person's own data requests are logged under: the first they belong to, or
 * null for someone in none (the course owner).
 */
export function ownMunicipalityOf(userId: number): number | null {
  return (
    db
      .select({ organisationId: memberships.organisationId })
      .from(memberships)
      .where(eq(memberships.userId, userId))
      .orderBy(asc(memberships.createdAt), asc(memberships.organisationId))
      .get()?.organisationId ?? null
  );
}

/**
 * One of the admin's municipality's people, with the municipality the admin sees them through;
 * null for anyone else (another municipality's person, an erased stand-in, no such id), which the
 * route answers as a page that does not exist.
 */
export function administeredPerson(admin: Pick<SessionUser, "id">, userId: number) {
  const organisationIds = administeredOrganisations(admin).map((organisation) => organisation.id);
  if (organisationIds.length === 0) return null;
  return (
    db
      .select({
        userId: users.id,
        name: users.name,
        organisationId: organisations.id,
        organisationName: organisations.name,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
      .where(
        and(
          eq(memberships.userId, userId),
          inArray(memberships.organisationId, organisationIds),
          isNull(users.erasedAt),
        ),
      )
      .orderBy(asc(organisations.name))
      .get() ?? null
  );
}

/**
 * The guard of the admin's person pages: a signed-in admin (403 for anyone else) and one of their
 * municipality's people (404 for anyone else, so an id of another municipality tells nothing).
 */
export async function requireAdministeredPerson(request: Request, userIdParam: string | undefined) {
  const admin = await requireAdmin(request);
  const person = administeredPerson(admin, requirePathId(userIdParam, "personalData.notFound"));
  invariantResponse(person, "personalData.notFound", { status: 404 });
  return { admin, person };
}
