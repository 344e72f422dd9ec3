import type { SessionUser } from "~/auth/session.server";
import { findModuleMedia } from "~/catalog/catalog.server";
import { getSessionSecret } from "~/env.server";
import { canAccessCourse } from "~/licensing/access.server";
import { signMediaToken, verifyMediaToken } from "./token.server";

/** Long enough to watch a film with pauses; a page load issues a fresh one. */
export const MEDIA_TOKEN_LIFETIME_MS = 2 * 60 * 60 * 1000;

export function mediaBaseUrl(userId: number, moduleId: number, mediaVersion: string, now = Date.now()) {
  const token = signMediaToken({ userId, moduleId, expiresAt: now + MEDIA_TOKEN_LIFETIME_MS }, getSessionSecret());
  return `/media/${token}/${mediaVersion}`;
}

export type MediaGrant = { status: "ok"; slug: string } | { status: "denied"; reason: string };

/**
 * Media is served only when the signed-in user is the one the token was issued to, the token
 * is genuine and unexpired, and the user may still take the module's course right now.
 */
export function authorizeMedia(user: SessionUser | null, token: string, now = Date.now()): MediaGrant {
  if (!user) return { status: "denied", reason: "anonymous" };
  const verified = verifyMediaToken(token, getSessionSecret(), now);
  if (!verified.ok) return { status: "denied", reason: verified.reason };
  if (verified.payload.userId !== user.id) return { status: "denied", reason: "other-user" };
  const media = findModuleMedia(verified.payload.moduleId);
  if (!media) return { status: "denied", reason: "unknown-module" };
  if (!canAccessCourse(user, media.courseId)) return { status: "denied", reason: "no-access" };
  return { status: "ok", slug: media.slug };
}
