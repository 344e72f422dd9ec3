import { eq } from "drizzle-orm";
import { certificates, memberships, users } from "#db/schema";
import { db } from "~/db.server";
import { userIdByEmail } from "../../utils/requests";
import { all, ownMunicipalityOnly, type Check } from "./checks";

const healthVisitor = () => String(userIdByEmail("sundhedsplejerske@demo-kommune.dk"));

const ERASABLE = "slettes@demo-kommune.dk";

/**
 * A learner of Demo Kommune only this check uses, so erasing them takes nobody from the other checks.
 * Made again once erased: the walk asks for the address once per persona.
 */
function erasable(): string {
  const existing = db.select({ id: users.id }).from(users).where(eq(users.email, ERASABLE)).get();
  if (existing) return String(existing.id);
  const id = db.insert(users).values({ email: ERASABLE, name: "Kan Slettes" }).returning({ id: users.id }).get().id;
  db.insert(memberships).values({ userId: id, organisationId: 1, role: "learner" }).run();
  return String(id);
}

const WITHDRAWN_CODE = "WXYZ2345ABCD";
/** A certificate whose holder was erased: the code is real, and it says it was withdrawn. */
function withdrawnCode(): string {
  db.insert(certificates)
    .values({
      code: WITHDRAWN_CODE,
      recipientName: "",
      courseTitle: "Unges egne fortællinger",
      organisationName: "Demo Kommune",
      minutes: 45,
      completedOn: "2026-01-08",
      issuedAt: new Date("2026-01-08T10:00:00Z"),
      withdrawnAt: new Date("2026-06-01T10:00:00Z"),
    })
    .onConflictDoNothing()
    .run();
  return "wxyz-2345-abcd";
}

/** The erase page for a person of Demo Kommune, the erasure itself, and a withdrawn certificate's check. */
export const privacyErasureChecks: Check[] = [
  {
    route: "administration.personer.$userId_.slet/route.tsx",
    method: "loader",
    url: () => `/administration/personer/${healthVisitor()}/slet`,
    params: () => ({ userId: healthVisitor() }),
    expected: ownMunicipalityOnly,
  },
  {
    route: "administration.personer.$userId_.slet/route.tsx",
    method: "action",
    url: () => `/administration/personer/${erasable()}/slet`,
    params: () => ({ userId: erasable() }),
    form: () => ({ confirmation: ERASABLE }),
    // Demo Kommune's admin erases and is sent back to the admin page; the neighbour's admin finds nobody.
    expected: { ...ownMunicipalityOnly, admin: 302 },
  },
  {
    route: "bevis.$code.tsx",
    method: "loader",
    url: () => `/bevis/${withdrawnCode()}`,
    params: () => ({ code: withdrawnCode() }),
    expected: all(410),
  },
];
