import { and, asc, count, eq, isNotNull, isNull } from "drizzle-orm";
import { memberships, organisationUnits, scimGroupMembers, scimGroups, scimUsers, users } from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { placeInMunicipality } from "./accounts.server";
import { scimBaseUrl } from "./resources.server";
import { administeredOrganisation, administers } from "~/licensing/overview.server";
import { activeScimToken } from "./tokens.server";

type Admin = Pick<SessionUser, "id">;

/**
 * The admin's page about the municipality's directory: the address and token to give Entra ID,
 * the groups it has sent with the unit each is tied to, and how many people it keeps. Null for
 * anyone who does not administer the municipality.
 */
export function directoryForAdmin(admin: Admin, organisationId: number) {
  const organisation = administeredOrganisation(admin, organisationId);
  if (!organisation) return null;
  const groups = db
    .select({
      id: scimGroups.id,
      displayName: scimGroups.displayName,
      unitId: scimGroups.unitId,
      members: count(scimGroupMembers.scimUserId),
    })
    .from(scimGroups)
    .leftJoin(scimGroupMembers, eq(scimGroupMembers.groupId, scimGroups.id))
    .where(eq(scimGroups.organisationId, organisationId))
    .groupBy(scimGroups.id)
    .orderBy(asc(scimGroups.displayName))
    .all();
  const units = db
    .select({ id: organisationUnits.id, name: organisationUnits.name })
    .from(organisationUnits)
    .where(eq(organisationUnits.organisationId, organisationId))
    .orderBy(asc(organisationUnits.name))
    .all();
  const provisioned = db
    .select({ count: count() })
    .from(scimUsers)
    .where(and(eq(scimUsers.organisationId, organisationId), eq(scimUsers.active, true)))
    .get();
  // Closed accounts among the municipality's people, also those the directory has since deleted; an
  // erased person's anonymous stand-in is closed too, but it is nobody's account.
  const deactivated = db
    .select({ count: count() })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organisationId, organisationId), isNotNull(users.deactivatedAt), isNull(users.erasedAt)))
    .get();
  return {
    organisation,
    baseUrl: scimBaseUrl(organisation.slug),
    token: activeScimToken(organisationId),
    groups,
    units,
    provisioned: provisioned?.count ?? 0,
    deactivated: deactivated?.count ?? 0,
  };
}

/**
 * Ties one of the directory's groups to a unit of the municipality (or unties it). Its members are
 * placed in the unit now, and whoever the directory adds later as they join.
 */
export function setGroupUnit(
  admin: Admin,
  organisationId: number,
  groupId: string,
  unitId: number | null,
  now = new Date(),
): "saved" | "forbidden" | "unknownGroup" | "unknownUnit" {
  if (!administers(admin, organisationId)) return "forbidden";
  return db.transaction((tx) => {
    const group = tx
      .select({ id: scimGroups.id })
      .from(scimGroups)
      .where(and(eq(scimGroups.id, groupId), eq(scimGroups.organisationId, organisationId)))
      .get();
    if (!group) return "unknownGroup";
    if (unitId !== null) {
      const unit = tx
        .select({ id: organisationUnits.id })
        .from(organisationUnits)
        .where(and(eq(organisationUnits.id, unitId), eq(organisationUnits.organisationId, organisationId)))
        .get();
      if (!unit) return "unknownUnit";
    }
    tx.update(scimGroups).set({ unitId, updatedAt: now }).where(eq(scimGroups.id, groupId)).run();
    if (unitId !== null) {
      const people = tx
        .select({ userId: scimUsers.userId })
        .from(scimGroupMembers)
        .innerJoin(scimUsers, eq(scimUsers.id, scimGroupMembers.scimUserId))
        .where(eq(scimGroupMembers.groupId, groupId))
        .all();
      for (const person of people) placeInMunicipality(tx, organisationId, person.userId, unitId);
    }
    return "saved";
  });
}
