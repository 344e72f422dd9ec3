import { ScimError, scimSchemas } from "./errors.server";
import { normalisedPath, readPatchOperations, scimBoolean } from "./patch.server";

/**
 * What a directory may say about a person, as this platform keeps it. `undefined` leaves a value
 * as it is; `null` clears it.
 */
export type ScimUserInput = {
  userName?: string;
  externalId?: string | null;
  active?: boolean;
  displayName?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  workEmail?: string | null;
  department?: string | null;
};

const enterprise = scimSchemas.enterpriseUser.toLowerCase();
const workEmailPath = 'emails[type eq "work"].value';

function text(value: unknown, maxLength = 300): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") throw new ScimError(400, "scim.error.notText", "invalidValue");
  const trimmed = value.trim();
  if (trimmed.length > maxLength || [...trimmed].some((char) => char.charCodeAt(0) < 0x20)) {
    throw new ScimError(400, "scim.error.notText", "invalidValue");
  }
  return trimmed === "" ? null : trimmed;
}

/** The work address of an `emails` list: the one typed work, else the primary one, else the first. */
function workEmailOf(emails: unknown): string | null {
  if (!Array.isArray(emails)) return null;
  const entries = emails.filter(
    (entry): entry is Record<string, unknown> => typeof entry === "object" && entry !== null,
  );
  const chosen =
    entries.find((entry) => entry.type === "work") ?? entries.find((entry) => entry.primary === true) ?? entries[0];
  return chosen ? text(chosen.value) : null;
}

function objectOf(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/**
 * Sets one attribute by its path, as both a PATCH operation and a path-less operation's value
 * name them. A path this platform does not keep (phone numbers, titles) is ignored, as Entra ID
 * expects, rather than refused.
 */
function applyPath(input: ScimUserInput, path: string, value: unknown) {
  const name = normalisedPath(path);
  switch (name) {
    case "username":
      input.userName = text(value) ?? undefined;
      return;
    case "externalid":
      input.externalId = text(value);
      return;
    case "active":
      input.active = value === null ? undefined : scimBoolean(value);
      return;
    case "displayname":
      input.displayName = text(value);
      return;
    case "name.givenname":
      input.givenName = text(value);
      return;
    case "name.familyname":
      input.familyName = text(value);
      return;
    case "name":
      applyObject(input, objectOf(value) ?? {}, "name.");
      return;
    case workEmailPath:
      input.workEmail = text(value);
      return;
    case "emails":
      input.workEmail = workEmailOf(value);
      return;
    case `${enterprise}:department`:
      input.department = text(value);
      return;
    case enterprise:
      applyObject(input, objectOf(value) ?? {}, `${enterprise}:`);
      return;
  }
}

function applyObject(input: ScimUserInput, value: Record<string, unknown>, prefix = "") {
  for (const [key, item] of Object.entries(value)) {
    if (key === "schemas" || key === "id" || key === "meta") continue;
    applyPath(input, `${prefix}${key}`, item);
  }
}

/** A whole User resource (POST, PUT): userName is required; what is missing is cleared. */
export function userFromResource(body: Record<string, unknown>): ScimUserInput & { userName: string } {
  const input: ScimUserInput = {
    externalId: null,
    active: true,
    displayName: null,
    givenName: null,
    familyName: null,
    workEmail: null,
    department: null,
  };
  applyObject(input, body);
  if (!input.userName) throw new ScimError(400, "scim.error.userNameRequired", "invalidValue");
  return { ...input, userName: input.userName };
}

/**
 * The changes a PATCH request makes, as Entra ID sends them: each operation by its path, or a
 * path-less one whose value holds attributes by name. Remove clears the value.
 */
export function userChangesFromPatch(body: Record<string, unknown>): ScimUserInput {
  const input: ScimUserInput = {};
  for (const operation of readPatchOperations(body)) {
    if (operation.path === null) {
      const value = objectOf(operation.value);
      if (!value) throw new ScimError(400, "scim.error.notPatch", "invalidValue");
      applyObject(input, value);
    } else if (operation.op === "remove") {
      if (normalisedPath(operation.path) === "username")
        throw new ScimError(400, "scim.error.userNameRequired", "mutability");
      applyPath(input, operation.path, null);
    } else {
      // Entra ID may wrap a single value in a list of one.
      const value =
        Array.isArray(operation.value) && operation.value.length === 1 && normalisedPath(operation.path) !== "emails"
          ? (objectOf(operation.value[0])?.value ?? operation.value[0])
          : operation.value;
      applyPath(input, operation.path, value);
    }
  }
  return input;
}
