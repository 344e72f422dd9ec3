import { and, asc, count, eq, isNull } from "drizzle-orm";
import {
  eanLocations,
  memberships,
  organisationUnits,
  organisations,
  trainingAssignments,
  users,
  type UnitKind,
} from "#db/schema";
import type { SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { administers } from "./overview.server";

type Admin = Pick<SessionUser, "id">;

/** The municipality's own details, EAN numbers, units and people, for its admins only. */
export function organisationForAdmin(admin: Admin, organisationId: number) {
  if (!administers(admin, organisationId)) return null;
  const organisation = db.select().from(organisations).where(eq(organisations.id, organisationId)).get();
  if (!organisation) return null;
  return {
    id: organisation.id,
    name: organisation.name,
    details: {
      cvr: organisation.cvr,
      streetName: organisation.streetName ?? "",
      buildingNumber: organisation.buildingNumber ?? "",
      postalCode: organisation.postalCode ?? "",
      city: organisation.city ?? "",
      invoiceEmail: organisation.invoiceEmail ?? "",
    },
    eans: db
      .select({ ean: eanLocations.ean, label: eanLocations.label })
      .from(eanLocations)
      .where(eq(eanLocations.organisationId, organisationId))
      .orderBy(asc(eanLocations.label))
      .all(),
    units: db
      .select({ id: organisationUnits.id, name: organisationUnits.name, kind: organisationUnits.kind })
      .from(organisationUnits)
      .where(eq(organisationUnits.organisationId, organisationId))
      .orderBy(asc(organisationUnits.name))
      .all(),
    members: db
      .select({
        userId: users.id,
        name: users.name,
        email: users.email,
        role: memberships.role,
        unitId: memberships.unitId,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organisationId, organisationId), isNull(memberships.unlistedAt)))
      .orderBy(asc(users.name))
      .all(),
  };
}

/**
 * "forbidden" is a municipality the admin does not administer. "unitGone" and "notMember" are
 * what a page shown before a change is told: the unit was removed, or the person left.
 */
export type ChangeResult =
  | "saved"
  | "forbidden"
  | "cvrTaken"
  | "eanTaken"
  | "duplicate"
  | "lastEan"
  | "unitGone"
  | "notMember"
  | "unitHasAssignments";

export function updateOrganisationDetails(
  admin: Admin,
  organisationId: number,
  details: {
    cvr: string;
    streetName: string;
    buildingNumber: string;
    postalCode: string;
    city: string;
    invoiceEmail: string;
  },
): ChangeResult {
  if (!administers(admin, organisationId)) return "forbidden";
  const cvrOwner = db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.cvr, details.cvr))
    .get();
  if (cvrOwner && cvrOwner.id !== organisationId) return "cvrTaken";
  db.update(organisations).set(details).where(eq(organisations.id, organisationId)).run();
  return "saved";
}

export function addEanLocation(admin: Admin, organisationId: number, ean: string, label: string): ChangeResult {
  if (!administers(admin, organisationId)) return "forbidden";
  const owner = db
    .select({ organisationId: eanLocations.organisationId })
    .from(eanLocations)
    .where(eq(eanLocations.ean, ean))
    .get();
  if (owner) return owner.organisationId === organisationId ? "duplicate" : "eanTaken";
  db.insert(eanLocations).values({ organisationId, ean, label }).run();
  return "saved";
}

/** Orders keep their own copy of the EAN they were invoiced to, so removing one changes no invoice. */
export function removeEanLocation(admin: Admin, organisationId: number, ean: string): ChangeResult {
  if (!administers(admin, organisationId)) return "forbidden";
  return db.transaction((tx) => {
    const left =
      tx.select({ n: count() }).from(eanLocations).where(eq(eanLocations.organisationId, organisationId)).get()?.n ?? 0;
    if (left <= 1) return "lastEan";
    tx.delete(eanLocations)
      .where(and(eq(eanLocations.organisationId, organisationId), eq(eanLocations.ean, ean)))
      .run();
    return "saved";
  });
}

export function addUnit(admin: Admin, organisationId: number, name: string, kind: UnitKind): ChangeResult {
  if (!administers(admin, organisationId)) return "forbidden";
  const inserted = db.insert(organisationUnits).values({ organisationId, name, kind }).onConflictDoNothing().run();
  return inserted.changes === 1 ? "saved" : "duplicate";
}

/**
 * Its people stay in the municipality, without a unit. A unit a course is mandatory for stays until
 * that assignment is removed; assignments already removed go with the unit, and their people's
 * rounds stay as history.
 */
export function removeUnit(admin: Admin, organisationId: number, unitId: number): ChangeResult {
  if (!administers(admin, organisationId)) return "forbidden";
  return db.transaction((tx) => {
    const ofUnit = and(eq(trainingAssignments.unitId, unitId), eq(trainingAssignments.organisationId, organisationId));
    const active = tx
      .select({ id: trainingAssignments.id })
      .from(trainingAssignments)
      .where(and(ofUnit, isNull(trainingAssignments.removedAt)))
      .get();
    if (active) return "unitHasAssignments";
    tx.delete(trainingAssignments).where(ofUnit).run();
    const removed = tx
      .delete(organisationUnits)
      .where(and(eq(organisationUnits.id, unitId), eq(organisationUnits.organisationId, organisationId)))
      .run();
    return removed.changes === 1 ? "saved" : "unitGone";
  });
}

export function setMemberUnit(
  admin: Admin,
  organisationId: number,
  userId: number,
  unitId: number | undefined,
): ChangeResult {
  if (!administers(admin, organisationId)) return "forbidden";
  if (unitId !== undefined) {
    const unit = db
      .select({ id: organisationUnits.id })
      .from(organisationUnits)
      .where(and(eq(organisationUnits.id, unitId), eq(organisationUnits.organisationId, organisationId)))
      .get();
    if (!unit) return "unitGone";
  }
  const updated = db
    .update(memberships)
    .set({ unitId: unitId ?? null })
    .where(and(eq(memberships.userId, userId), eq(memberships.organisationId, organisationId)))
    .run();
  return updated.changes === 1 ? "saved" : "notMember";
}
