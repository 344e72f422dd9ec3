import type { SessionUser } from "~/auth/session.server";
import { findModuleMedia } from "~/catalog/catalog.server";
import { getSessionSecret } from "~/env.server";
import { canAccessCourse } from "~/licensing/access.server";
import { MEDIA_TOKEN_LIFETIME_MS, signMediaToken, verifyMediaToken } from "./token.server";

/** The address a player fetches the module's film from, for this one version of it. */
export function mediaBaseUrl(userId: number, moduleId: number, mediaVersion: string, now = Date.now()) {
  const token = signMediaToken(
    { userId, moduleId, version: mediaVersion, expiresAt: now + MEDIA_TOKEN_LIFETIME_MS },
    getSessionSecret(),
  );
  return `/media/${token}/${mediaVersion}`;
}

/** A grant names whose it is and how long its token lasts, so a cached grant never outlives the token. */
export type MediaGrant =
  { status: "ok"; slug: string; userId: number; tokenExpiresAt: number } | { status: "denied"; reason: string };

/**
 * Media is served only when the signed-in user is the one the token was issued to, the token
 * is genuine and unexpired and names the version asked for, the module is published (the
 * owner previews unpublished ones, as the catalog lets them), and the user may still take the
 * module's course right now.
 */
export function authorizeMedia(user: SessionUser | null, token: string, version: string, now = Date.now()): MediaGrant {
  if (!user) return { status: "denied", reason: "anonymous" };
  const verified = verifyMediaToken(token, getSessionSecret(), now);
  if (!verified.ok) return { status: "denied", reason: verified.reason };
  if (verified.payload.userId !== user.id) return { status: "denied", reason: "other-user" };
  if (verified.payload.version !== version) return { status: "denied", reason: "other-version" };
  const media = findModuleMedia(verified.payload.moduleId);
  if (!media) return { status: "denied", reason: "unknown-module" };
  if (!media.published && user.platformRole !== "owner") return { status: "denied", reason: "unpublished" };
  if (!canAccessCourse(user, media.courseId)) return { status: "denied", reason: "no-access" };
  return { status: "ok", slug: media.slug, userId: user.id, tokenExpiresAt: verified.payload.expiresAt };
}
