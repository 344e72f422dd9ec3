import { and, desc, eq, isNull } from "drizzle-orm";
import { organisations, scimTokens } from "#db/schema";
import { hashSecretToken, newSecretToken } from "~/auth/secret-tokens.server";
import type { SessionUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { administers } from "~/licensing/overview.server";
import { ScimError } from "./errors.server";

type Admin = Pick<SessionUser, "id">;

/** The municipality's token that works now, if any: one at a time, so the page can say which. */
export function activeScimToken(organisationId: number) {
  return (
    db
      .select({ id: scimTokens.id, createdAt: scimTokens.createdAt, lastUsedAt: scimTokens.lastUsedAt })
      .from(scimTokens)
      .where(and(eq(scimTokens.organisationId, organisationId), isNull(scimTokens.revokedAt)))
      .orderBy(desc(scimTokens.createdAt), desc(scimTokens.id))
      .get() ?? null
  );
}

/**
 * A new token for the municipality's directory, returned this once and stored only as its hash.
 * Any token it had stops working in the same transaction, so creating and rotating are one act.
 */
export function issueScimToken(admin: Admin, organisationId: number, now = new Date()): string | "forbidden" {
  if (!administers(admin, organisationId)) return "forbidden";
  const token = newSecretToken();
  db.transaction((tx) => {
    tx.update(scimTokens)
      .set({ revokedAt: now })
      .where(and(eq(scimTokens.organisationId, organisationId), isNull(scimTokens.revokedAt)))
      .run();
    tx.insert(scimTokens)
      .values({ organisationId, tokenHash: hashSecretToken(token), createdBy: admin.id, createdAt: now })
      .run();
  });
  return token;
}

/** Stops the municipality's token; the directory can then change nothing until a new one is made. */
export function revokeScimToken(admin: Admin, organisationId: number, now = new Date()): "revoked" | "forbidden" {
  if (!administers(admin, organisationId)) return "forbidden";
  db.update(scimTokens)
    .set({ revokedAt: now })
    .where(and(eq(scimTokens.organisationId, organisationId), isNull(scimTokens.revokedAt)))
    .run();
  return "revoked";
}

export type ScimClient = { organisationId: number; slug: string };

/**
 * The municipality a SCIM request speaks for: its bearer token must be one that works, and the
 * address's slug that token's own municipality, so a token never reaches another municipality.
 * Every refusal is the same 401, which tells a guesser nothing about which part was wrong.
 */
export function authenticateScim(request: Request, slug: string | undefined, now = new Date()): ScimClient {
  const match = /^Bearer +([A-Za-z0-9_-]{20,200})$/.exec(request.headers.get("Authorization")?.trim() ?? "");
  const token = match?.[1];
  const row = token
    ? db
        .select({ id: scimTokens.id, organisationId: scimTokens.organisationId, slug: organisations.slug })
        .from(scimTokens)
        .innerJoin(organisations, eq(organisations.id, scimTokens.organisationId))
        .where(and(eq(scimTokens.tokenHash, hashSecretToken(token)), isNull(scimTokens.revokedAt)))
        .get()
    : undefined;
  if (!row || row.slug !== slug) throw new ScimError(401, "scim.error.unauthorized");
  db.update(scimTokens).set({ lastUsedAt: now }).where(eq(scimTokens.id, row.id)).run();
  return { organisationId: row.organisationId, slug: row.slug };
}
