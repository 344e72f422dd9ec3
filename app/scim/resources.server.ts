import { getEnv } from "~/env.server";
import { translator } from "~/i18n/i18n";
import { scimSchemas } from "./errors.server";
import { SCIM_MAX_RESULTS } from "./request.server";

/** The address a directory is given: PUBLIC_URL/scim/<slug>/v2. */
export const scimBaseUrl = (slug: string) => `${getEnv().PUBLIC_URL}/scim/${slug}/v2`;

export type ScimUserRow = {
  id: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
  email: string;
  name: string;
  unitName: string | null;
};

/** A person as a SCIM User resource (RFC 7643 §4.1, with the enterprise extension's department). */
export function userResource(row: ScimUserRow, slug: string) {
  return {
    schemas: [scimSchemas.user, scimSchemas.enterpriseUser],
    id: row.id,
    ...(row.externalId !== null && { externalId: row.externalId }),
    userName: row.userName,
    active: row.active,
    displayName: row.name,
    name: { formatted: row.name },
    emails: [{ value: row.email, type: "work", primary: true }],
    [scimSchemas.enterpriseUser]: row.unitName === null ? {} : { department: row.unitName },
    meta: {
      resourceType: "User",
      created: row.createdAt.toISOString(),
      lastModified: row.updatedAt.toISOString(),
      location: `${scimBaseUrl(slug)}/Users/${row.id}`,
    },
  };
}

export type ScimGroupRow = {
  id: string;
  displayName: string;
  externalId: string | null;
  createdAt: Date;
  updatedAt: Date;
  members: { id: string; userName: string }[];
};

export function groupResource(row: ScimGroupRow, slug: string) {
  const base = scimBaseUrl(slug);
  return {
    schemas: [scimSchemas.group],
    id: row.id,
    ...(row.externalId !== null && { externalId: row.externalId }),
    displayName: row.displayName,
    members: row.members.map((member) => ({
      value: member.id,
      display: member.userName,
      $ref: `${base}/Users/${member.id}`,
    })),
    meta: {
      resourceType: "Group",
      created: row.createdAt.toISOString(),
      lastModified: row.updatedAt.toISOString(),
      location: `${base}/Groups/${row.id}`,
    },
  };
}

export function listResponse(resources: unknown[], totalResults: number, startIndex: number) {
  return {
    schemas: [scimSchemas.listResponse],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/** What this endpoint supports, which Entra ID reads when the connection is tested (RFC 7643 §5). */
export function serviceProviderConfig(slug: string) {
  const unsupported = { supported: false };
  return {
    schemas: [scimSchemas.serviceProviderConfig],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_MAX_RESULTS },
    changePassword: unsupported,
    sort: unsupported,
    etag: unsupported,
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description: translator("da")("scim.config.authDescription"),
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${scimBaseUrl(slug)}/ServiceProviderConfig` },
  };
}
