import { ScimError, scimSchemas } from "./errors.server";

export type PatchOperation = { op: "add" | "replace" | "remove"; path: string | null; value: unknown };

/**
 * The operations of a PATCH request (RFC 7644 §3.5.2). Entra ID writes the op capitalised
 * ("Replace"), so it is compared without regard to case; any other op, or a body that is no
 * PatchOp message, is 400 and changes nothing.
 */
export function readPatchOperations(body: Record<string, unknown>): PatchOperation[] {
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(scimSchemas.patchOp)) {
    throw new ScimError(400, "scim.error.notPatch", "invalidSyntax");
  }
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new ScimError(400, "scim.error.notPatch", "invalidSyntax");
  }
  return operations.map((operation: unknown) => {
    if (typeof operation !== "object" || operation === null) {
      throw new ScimError(400, "scim.error.notPatch", "invalidSyntax");
    }
    const { op, path, value } = operation as Record<string, unknown>;
    const name = typeof op === "string" ? op.toLowerCase() : "";
    if (name !== "add" && name !== "replace" && name !== "remove") {
      throw new ScimError(400, "scim.error.unknownOp", "invalidSyntax", { op: String(op).slice(0, 40) });
    }
    const trimmedPath = typeof path === "string" && path.trim() !== "" ? path.trim() : null;
    if (trimmedPath === null && name === "remove") throw new ScimError(400, "scim.error.removeWithoutPath", "noTarget");
    return { op: name, path: trimmedPath, value };
  });
}

/** A boolean as directories send it: true/false, or Entra ID's strings "True"/"False". */
export function scimBoolean(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  throw new ScimError(400, "scim.error.notBoolean", "invalidValue");
}

/** A path as compared here: lower-cased, with no spaces around the filter's parts. */
export const normalisedPath = (path: string) =>
  path
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/\[\s*|\s*\]/g, (m) => m.trim());
