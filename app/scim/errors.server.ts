import type { MessageKey } from "~/i18n/da";
import { translator } from "~/i18n/i18n";

/**
 * SCIM answers (RFC 7644): every body is application/scim+json, and a refusal is the protocol's
 * error message with the status as a string, so a directory such as Entra ID can read why.
 */
export const SCIM_CONTENT_TYPE = "application/scim+json";

export const scimSchemas = {
  user: "urn:ietf:params:scim:schemas:core:2.0:User",
  enterpriseUser: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
  group: "urn:ietf:params:scim:schemas:core:2.0:Group",
  listResponse: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
  patchOp: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  error: "urn:ietf:params:scim:api:messages:2.0:Error",
  serviceProviderConfig: "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
} as const;

/** The scimType values this endpoint uses (RFC 7644 §3.12). */
export type ScimErrorType =
  "invalidFilter" | "uniqueness" | "invalidSyntax" | "invalidValue" | "noTarget" | "mutability";

/**
 * Thrown anywhere below a SCIM route; the route turns it into the error answer. The detail is
 * Danish, from the dictionary: the municipality's IT staff read it in the directory's log.
 */
export class ScimError extends Error {
  readonly detail: string;
  constructor(
    readonly status: number,
    key: MessageKey,
    readonly scimType?: ScimErrorType,
    values?: Record<string, string | number>,
  ) {
    const detail = translator("da")(key, values);
    super(detail);
    this.detail = detail;
  }
}

const noStore = { "Cache-Control": "no-store" };

export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": SCIM_CONTENT_TYPE, ...noStore, ...headers },
  });
}

export function scimErrorResponse(error: ScimError) {
  return scimJson(
    {
      schemas: [scimSchemas.error],
      status: String(error.status),
      ...(error.scimType && { scimType: error.scimType }),
      detail: error.detail,
    },
    error.status,
    error.status === 401 ? { "WWW-Authenticate": 'Bearer realm="SCIM"' } : {},
  );
}

/** An answer with no body, such as DELETE's 204. */
export const scimNoContent = () => new Response(null, { status: 204, headers: noStore });
