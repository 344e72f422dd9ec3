import { and, eq, gt, isNull } from "drizzle-orm";
import { passwordResets, users } from "#db/schema";
import { db } from "~/db.server";
import { sendEmail } from "~/email/mailer.server";
import { getEnv } from "~/env.server";
import { translator, type Language } from "~/i18n/i18n";
import { hashPassword, spendVerifyTime, verifyPassword } from "./password.server";
import { hashSecretToken, newSecretToken } from "./secret-tokens.server";
import { revokeAllSessions } from "./session.server";

const RESET_VALID_MS = 60 * 60 * 1000;

export function normaliseEmail(email: string) {
  return email.trim().toLowerCase();
}

/** The user id for a correct e-mail and password, else null; both failures take the same time. */
export async function verifyCredentials(email: string, password: string): Promise<number | null> {
  const user = db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, normaliseEmail(email)))
    .get();
  if (!user?.passwordHash) {
    await spendVerifyTime(password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? user.id : null;
}

/** Mails a one-hour reset link when the e-mail is known; says nothing either way to the caller. */
export function requestPasswordReset(email: string, language: Language) {
  const user = db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(eq(users.email, normaliseEmail(email)))
    .get();
  if (!user) return;
  const token = newSecretToken();
  db.insert(passwordResets)
    .values({ tokenHash: hashSecretToken(token), userId: user.id, expiresAt: new Date(Date.now() + RESET_VALID_MS) })
    .run();
  const t = translator(language);
  const link = `${getEnv().PUBLIC_URL}/nulstil-adgangskode/${token}`;
  // Not awaited: waiting for the SMTP server would make a known address answer measurably slower.
  sendEmail({
    to: user.email,
    subject: t("forgot.mailSubject"),
    text: t("forgot.mailBody", { name: user.name, link }),
  }).catch((error: unknown) => console.error("Nulstillingsmailen kunne ikke sendes:", error));
}

function findUsableReset(token: string) {
  return db
    .select({ tokenHash: passwordResets.tokenHash, userId: passwordResets.userId })
    .from(passwordResets)
    .where(
      and(
        eq(passwordResets.tokenHash, hashSecretToken(token)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, new Date()),
      ),
    )
    .get();
}

export function isResetTokenUsable(token: string) {
  return Boolean(findUsableReset(token));
}

/**
 * Sets the new password, spends the user's reset links and signs them out everywhere, so
 * whoever knew the old password loses access. Returns false for an unknown, used or expired token.
 */
export async function resetPassword(token: string, newPassword: string): Promise<boolean> {
  if (!findUsableReset(token)) return false;
  const passwordHash = await hashPassword(newPassword);
  return db.transaction((tx) => {
    const spent = tx
      .update(passwordResets)
      .set({ usedAt: new Date() })
      .where(and(eq(passwordResets.tokenHash, hashSecretToken(token)), isNull(passwordResets.usedAt)))
      .returning({ userId: passwordResets.userId })
      .get();
    if (!spent) return false;
    // Any other link mailed earlier dies with this one: only the newest intent should count.
    tx.update(passwordResets)
      .set({ usedAt: new Date() })
      .where(and(eq(passwordResets.userId, spent.userId), isNull(passwordResets.usedAt)))
      .run();
    tx.update(users).set({ passwordHash }).where(eq(users.id, spent.userId)).run();
    revokeAllSessions(spent.userId);
    return true;
  });
}
