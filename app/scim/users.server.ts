import { randomUUID } from "node:crypto";
import { and, asc, eq, ne, type SQL } from "drizzle-orm";
import { memberships, organisationUnits, scimUsers, users } from "#db/schema";
import { db, type Db, type Tx } from "~/db.server";
import { deactivateAccount, placeInMunicipality, reactivateAccount } from "./accounts.server";
import { isOwnAddress, unitIdByName } from "~/licensing/municipality-lookups.server";
import { ScimError } from "./errors.server";
import { listPage, parseEqualityFilter } from "./request.server";
import { listResponse, userResource, type ScimUserRow } from "./resources.server";
import type { ScimClient } from "./tokens.server";
import type { ScimUserInput } from "./user-input.server";

const ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function userRows(database: Db | Tx, organisationId: number, condition?: SQL) {
  return database
    .select({
      id: scimUsers.id,
      userId: scimUsers.userId,
      userName: scimUsers.userName,
      externalId: scimUsers.externalId,
      active: scimUsers.active,
      createdAt: scimUsers.createdAt,
      updatedAt: scimUsers.updatedAt,
      email: users.email,
      name: users.name,
      unitName: organisationUnits.name,
    })
    .from(scimUsers)
    .innerJoin(users, eq(users.id, scimUsers.userId))
    .leftJoin(
      memberships,
      and(eq(memberships.userId, scimUsers.userId), eq(memberships.organisationId, scimUsers.organisationId)),
    )
    .leftJoin(organisationUnits, eq(organisationUnits.id, memberships.unitId))
    .where(and(eq(scimUsers.organisationId, organisationId), condition))
    .orderBy(asc(scimUsers.createdAt), asc(scimUsers.id));
}

/** The municipality's own person with this SCIM id; another municipality's id is as unknown as a made-up one. */
function findRow(database: Db | Tx, organisationId: number, id: string) {
  const row = userRows(database, organisationId, eq(scimUsers.id, id)).get();
  if (!row) throw new ScimError(404, "scim.error.userNotFound");
  return row;
}

const render = (client: ScimClient, row: ScimUserRow) => userResource(row, client.slug);

/** The address the account gets: the work address, else the userName when it is one. */
function addressOf(input: ScimUserInput, fallback: string | null): string {
  const address = (input.workEmail ?? input.userName ?? fallback ?? "").trim().toLowerCase();
  if (!ADDRESS.test(address) || address.length > 254) {
    throw new ScimError(400, "scim.error.emailInvalid", "invalidValue");
  }
  return address;
}

/**
 * The account's name: the displayName, else given and family name together. Only one of them
 * (a PATCH of the family name alone) names nobody whole, so the stored name stays.
 */
function displayNameOf(input: ScimUserInput): string | null {
  if (input.displayName) return input.displayName;
  return input.givenName && input.familyName ? `${input.givenName} ${input.familyName}` : null;
}

function requireOwnAddress(tx: Tx, organisationId: number, address: string) {
  if (!isOwnAddress(tx, organisationId, address)) {
    throw new ScimError(400, "scim.error.domainNotOurs", "invalidValue", {
      domain: address.slice(address.lastIndexOf("@") + 1),
    });
  }
}

function requireFreeUserName(tx: Tx, organisationId: number, userName: string, exceptId?: string) {
  const taken = tx
    .select({ id: scimUsers.id })
    .from(scimUsers)
    .where(
      and(
        eq(scimUsers.organisationId, organisationId),
        eq(scimUsers.userName, userName),
        exceptId ? ne(scimUsers.id, exceptId) : undefined,
      ),
    )
    .get();
  if (taken) throw new ScimError(409, "scim.error.userNameTaken", "uniqueness");
}

/**
 * A person the directory sends: their platform account (an existing one with the address and no
 * link yet is linked) and a membership in the municipality. No seat is claimed here; that happens
 * at their first sign-in through the municipality's login, or when the admin gives one.
 */
export function createScimUser(client: ScimClient, input: ScimUserInput & { userName: string }, now = new Date()) {
  const { organisationId } = client;
  const userName = input.userName.toLowerCase();
  const address = addressOf(input, null);
  const row = db.transaction(
    (tx) => {
      requireFreeUserName(tx, organisationId, userName);
      requireOwnAddress(tx, organisationId, address);
      const name = displayNameOf(input) ?? input.givenName ?? input.familyName ?? address;
      const existing = tx.select({ id: users.id }).from(users).where(eq(users.email, address)).get();
      if (existing) {
        const linked = tx
          .select({ id: scimUsers.id })
          .from(scimUsers)
          .where(and(eq(scimUsers.organisationId, organisationId), eq(scimUsers.userId, existing.id)))
          .get();
        if (linked) throw new ScimError(409, "scim.error.emailTaken", "uniqueness");
      }
      const userId = existing?.id ?? tx.insert(users).values({ email: address, name }).returning().get().id;
      if (existing && displayNameOf(input)) tx.update(users).set({ name }).where(eq(users.id, userId)).run();
      placeInMunicipality(tx, organisationId, userId, unitIdByName(tx, organisationId, input.department));
      const id = randomUUID();
      tx.insert(scimUsers)
        .values({
          id,
          organisationId,
          userId,
          userName,
          externalId: input.externalId ?? null,
          active: true,
          createdAt: now,
          updatedAt: now,
        })
        .run();
      // A person the directory sends again after deleting them comes back as they are sent.
      if (input.active === false) deactivateAccount(tx, organisationId, id, userId, now);
      else reactivateAccount(tx, id, userId, now);
      return findRow(tx, organisationId, id);
    },
    { behavior: "immediate" },
  );
  return render(client, row);
}

export function getScimUser(client: ScimClient, id: string) {
  return render(client, findRow(db, client.organisationId, id));
}

/** The list Entra ID asks for before it creates anyone: filtered by userName or externalId, or all, a page at a time. */
export function listScimUsers(client: ScimClient, url: URL) {
  const filter = parseEqualityFilter(url.searchParams.get("filter"), ["userName", "externalId"]);
  const page = listPage(url);
  const condition = !filter
    ? undefined
    : filter.attribute === "userName"
      ? eq(scimUsers.userName, filter.value.toLowerCase())
      : eq(scimUsers.externalId, filter.value);
  const all = userRows(db, client.organisationId, condition).all();
  const resources = all.slice(page.offset, page.offset + page.count).map((row) => render(client, row));
  return listResponse(resources, all.length, page.startIndex);
}

/** Applies what the directory says (PUT's whole resource or PATCH's changes) in one transaction. */
export function updateScimUser(client: ScimClient, id: string, input: ScimUserInput, now = new Date()) {
  const { organisationId } = client;
  const row = db.transaction(
    (tx) => {
      const current = findRow(tx, organisationId, id);
      const userName = input.userName?.toLowerCase();
      if (userName !== undefined && userName !== current.userName)
        requireFreeUserName(tx, organisationId, userName, id);

      // A new work address, or a new userName for an account whose address is its userName, moves the address.
      const addressChanges =
        (input.workEmail !== undefined && input.workEmail !== null) ||
        (userName !== undefined && current.email === current.userName);
      const address = addressChanges ? addressOf(input, current.email) : current.email;
      if (address !== current.email) {
        requireOwnAddress(tx, organisationId, address);
        const other = tx.select({ id: users.id }).from(users).where(eq(users.email, address)).get();
        if (other) throw new ScimError(409, "scim.error.emailTaken", "uniqueness");
      }
      const name = displayNameOf(input);
      tx.update(users)
        .set({ email: address, ...(name && { name }) })
        .where(eq(users.id, current.userId))
        .run();
      tx.update(scimUsers)
        .set({
          ...(userName !== undefined && { userName }),
          ...(input.externalId !== undefined && { externalId: input.externalId }),
          updatedAt: now,
        })
        .where(eq(scimUsers.id, id))
        .run();
      const unitId = unitIdByName(tx, organisationId, input.department);
      if (unitId !== null) placeInMunicipality(tx, organisationId, current.userId, unitId);

      if (input.active === false && current.active) deactivateAccount(tx, organisationId, id, current.userId, now);
      if (input.active === true && !current.active) reactivateAccount(tx, id, current.userId, now);
      return findRow(tx, organisationId, id);
    },
    { behavior: "immediate" },
  );
  return render(client, row);
}

/**
 * The directory deleted the person: deactivated as by active=false, and the SCIM link removed,
 * so the id is unknown from now on. The account, its history and certificates stay.
 */
export function deleteScimUser(client: ScimClient, id: string, now = new Date()) {
  db.transaction(
    (tx) => {
      const current = findRow(tx, client.organisationId, id);
      deactivateAccount(tx, client.organisationId, id, current.userId, now);
      tx.delete(scimUsers).where(eq(scimUsers.id, id)).run();
    },
    { behavior: "immediate" },
  );
}
