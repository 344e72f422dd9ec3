import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { scimGroupMembers, scimGroups, scimUsers } from "#db/schema";
import { db, type Db, type Tx } from "~/db.server";
import { placeInMunicipality } from "./accounts.server";
import { ScimError } from "./errors.server";
import { normalisedPath, readPatchOperations } from "./patch.server";
import { listPage, parseEqualityFilter } from "./request.server";
import { groupResource, listResponse } from "./resources.server";
import type { ScimClient } from "./tokens.server";

type GroupRow = typeof scimGroups.$inferSelect;

function groupRows(database: Db | Tx, organisationId: number, condition?: SQL) {
  return database
    .select()
    .from(scimGroups)
    .where(and(eq(scimGroups.organisationId, organisationId), condition))
    .orderBy(asc(scimGroups.createdAt), asc(scimGroups.id));
}

function findGroup(database: Db | Tx, organisationId: number, id: string): GroupRow {
  const row = groupRows(database, organisationId, eq(scimGroups.id, id)).get();
  if (!row) throw new ScimError(404, "scim.error.groupNotFound");
  return row;
}

function render(database: Db | Tx, client: ScimClient, group: GroupRow) {
  const members = database
    .select({ id: scimUsers.id, userName: scimUsers.userName })
    .from(scimGroupMembers)
    .innerJoin(scimUsers, eq(scimUsers.id, scimGroupMembers.scimUserId))
    .where(eq(scimGroupMembers.groupId, group.id))
    .orderBy(asc(scimUsers.userName))
    .all();
  return groupResource({ ...group, members }, client.slug);
}

function text(value: unknown, maxLength = 300): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string" || value.trim().length > maxLength) {
    throw new ScimError(400, "scim.error.notText", "invalidValue");
  }
  return value.trim() === "" ? null : value.trim();
}

/** The SCIM user ids of a `members` value: a list of `{ value: "<id>" }`. */
function memberIds(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry: unknown) => {
    const id = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>).value : entry;
    if (typeof id !== "string" || id.length > 100) throw new ScimError(400, "scim.error.memberInvalid", "invalidValue");
    return id;
  });
}

/**
 * Adds the municipality's own people to the group; ids of nobody here are passed over. A group tied
 * to a unit places whoever joins it in that unit.
 */
function addMembers(tx: Tx, organisationId: number, group: GroupRow, ids: string[]) {
  if (ids.length === 0) return;
  const people = tx
    .select({ id: scimUsers.id, userId: scimUsers.userId })
    .from(scimUsers)
    .where(and(eq(scimUsers.organisationId, organisationId), inArray(scimUsers.id, ids)))
    .all();
  for (const person of people) {
    tx.insert(scimGroupMembers).values({ groupId: group.id, scimUserId: person.id }).onConflictDoNothing().run();
    if (group.unitId !== null) placeInMunicipality(tx, organisationId, person.userId, group.unitId);
  }
}

function removeMembers(tx: Tx, groupId: string, ids: string[] | "all") {
  tx.delete(scimGroupMembers)
    .where(
      and(eq(scimGroupMembers.groupId, groupId), ids === "all" ? undefined : inArray(scimGroupMembers.scimUserId, ids)),
    )
    .run();
}

function requireFreeDisplayName(tx: Tx, organisationId: number, displayName: string, exceptId?: string) {
  const taken = groupRows(tx, organisationId, sql`lower(${scimGroups.displayName}) = lower(${displayName})`)
    .all()
    .some((group) => group.id !== exceptId);
  if (taken) throw new ScimError(409, "scim.error.groupNameTaken", "uniqueness");
}

export function createScimGroup(client: ScimClient, body: Record<string, unknown>, now = new Date()) {
  const displayName = text(body.displayName);
  if (!displayName) throw new ScimError(400, "scim.error.displayNameRequired", "invalidValue");
  return db.transaction(
    (tx) => {
      requireFreeDisplayName(tx, client.organisationId, displayName);
      const group = tx
        .insert(scimGroups)
        .values({
          id: randomUUID(),
          organisationId: client.organisationId,
          displayName,
          externalId: text(body.externalId),
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .get();
      addMembers(tx, client.organisationId, group, memberIds(body.members));
      return render(tx, client, group);
    },
    { behavior: "immediate" },
  );
}

export function getScimGroup(client: ScimClient, id: string) {
  return render(db, client, findGroup(db, client.organisationId, id));
}

export function listScimGroups(client: ScimClient, url: URL) {
  const filter = parseEqualityFilter(url.searchParams.get("filter"), ["displayName", "externalId"]);
  const page = listPage(url);
  const condition = !filter
    ? undefined
    : filter.attribute === "displayName"
      ? sql`lower(${scimGroups.displayName}) = lower(${filter.value})`
      : eq(scimGroups.externalId, filter.value);
  const all = groupRows(db, client.organisationId, condition).all();
  const resources = all.slice(page.offset, page.offset + page.count).map((group) => render(db, client, group));
  return listResponse(resources, all.length, page.startIndex);
}

/** `members[value eq "<id>"]`: the one member a Remove names in its path. */
function memberInPath(path: string): string | null {
  const match = /^members\[value eq "([^"]{1,100})"\]$/.exec(normalisedPath(path));
  if (!match) return null;
  // The id's own letters, as the path was written (ids are compared exactly).
  const start = path.indexOf('"') + 1;
  return path.slice(start, start + match[1]!.length);
}

/**
 * Entra ID's group changes: members added and removed (also one by one in the path), the name
 * replaced, or a path-less operation holding displayName and members. Unknown paths are ignored.
 */
export function patchScimGroup(client: ScimClient, id: string, body: Record<string, unknown>, now = new Date()) {
  const operations = readPatchOperations(body);
  return db.transaction(
    (tx) => {
      let group = findGroup(tx, client.organisationId, id);
      for (const { op, path, value } of operations) {
        const name = path === null ? null : normalisedPath(path);
        const single = path === null ? null : memberInPath(path);
        if (single !== null) {
          if (op === "remove") removeMembers(tx, group.id, [single]);
        } else if (name === "members") {
          if (op === "remove") removeMembers(tx, group.id, value === undefined ? "all" : memberIds(value));
          else {
            if (op === "replace") removeMembers(tx, group.id, "all");
            addMembers(tx, client.organisationId, group, memberIds(value));
          }
        } else if (name === "displayname" || name === "externalid" || name === null) {
          const fields: Record<string, unknown> =
            name === null
              ? (((typeof value === "object" && value) || {}) as Record<string, unknown>)
              : { [path!]: value };
          const entries = Object.entries(fields).map(([key, item]) => [key.toLowerCase(), item] as const);
          for (const [key, item] of entries) {
            if (key === "displayname") {
              const displayName = text(item);
              if (!displayName || op === "remove")
                throw new ScimError(400, "scim.error.displayNameRequired", "mutability");
              requireFreeDisplayName(tx, client.organisationId, displayName, group.id);
              group = { ...group, displayName };
            } else if (key === "externalid") {
              group = { ...group, externalId: op === "remove" ? null : text(item) };
            } else if (key === "members" && op !== "remove") {
              addMembers(tx, client.organisationId, group, memberIds(item));
            }
          }
        }
      }
      group = { ...group, updatedAt: now };
      tx.update(scimGroups)
        .set({ displayName: group.displayName, externalId: group.externalId, updatedAt: now })
        .where(eq(scimGroups.id, group.id))
        .run();
      return render(tx, client, group);
    },
    { behavior: "immediate" },
  );
}

/** The group goes, and with it who was in it; the people and their units stay. */
export function deleteScimGroup(client: ScimClient, id: string) {
  const group = findGroup(db, client.organisationId, id);
  db.delete(scimGroups).where(eq(scimGroups.id, group.id)).run();
}
