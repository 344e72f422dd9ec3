import { and, eq, gt, isNull } from "drizzle-orm";
import { passwordResets, users } from "#db/schema";
import { db } from "~/db.server";
import { forgetDeadLinks, sendEmail } from "~/email/mailer.server";
import { getEnv } from "~/env.server";
import { translator, type Language } from "~/i18n/i18n";
import { hashPassword, spendVerifyTime, verifyPassword } from "./password.server";
import { consumeAllowance, refundAllowance, resetAllowance } from "./rate-limits.server";
import { hashSecretToken, newSecretToken } from "./secret-tokens.server";
import { revokeAllSessions } from "./session.server";

const RESET_VALID_MS = 60 * 60 * 1000;

export function normaliseEmail(email: string) {
  return email.trim().toLowerCase();
}

/** The account for a correct e-mail and password, else null; both failures take the same time. */
async function verifyCredentials(
  email: string,
  password: string,
): Promise<{ id: number; deactivatedAt: Date | null } | null> {
  const user = db
    .select({ id: users.id, passwordHash: users.passwordHash, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(eq(users.email, normaliseEmail(email)))
    .get();
  if (!user?.passwordHash) {
    await spendVerifyTime(password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? user : null;
}

export type SignInResult =
  { status: "signedIn"; userId: number } | { status: "wrong" } | { status: "tooMany" } | { status: "deactivated" };

/**
 * Checks a sign-in attempt against both allowances before the password is verified, so however
 * many guesses arrive at once, no more than the allowance ever reach argon2. The client is
 * counted first: a client over its limit uses up nobody's address allowance. The right password
 * clears the address's count and gives the client its point back, so colleagues signing in
 * behind one address never use up its allowance; only wrong passwords do.
 */
export async function signIn(email: string, password: string, clientAddress: string): Promise<SignInResult> {
  const address = normaliseEmail(email);
  if (!(await consumeAllowance("signInClient", clientAddress))) return { status: "tooMany" };
  if (!(await consumeAllowance("signInAddress", address))) return { status: "tooMany" };
  const account = await verifyCredentials(address, password);
  if (account == null) return { status: "wrong" };
  await resetAllowance("signInAddress", address);
  await refundAllowance("signInClient", clientAddress);
  // Said only after the right password, so the refusal tells nobody else that the account exists.
  if (account.deactivatedAt) return { status: "deactivated" };
  return { status: "signedIn", userId: account.id };
}

/**
 * Mails a one-hour reset link when the e-mail is known and neither the address nor the client has
 * used its allowance, so nobody can make the platform mail an address without end. The address is
 * counted whether or not it is known, and its limit is met silently: the caller learns nothing
 * about the address. Only a client over its own limit is told ("tooMany"), which says nothing
 * about any address.
 */
export async function requestPasswordReset(
  email: string,
  language: Language,
  clientAddress: string,
): Promise<"requested" | "tooMany"> {
  if (!(await consumeAllowance("passwordResetClient", clientAddress))) return "tooMany";
  const address = normaliseEmail(email);
  if (!(await consumeAllowance("passwordResetMail", address))) return "requested";
  const user = db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(eq(users.email, address))
    .get();
  if (!user) return "requested";
  const token = newSecretToken();
  const tokenHash = hashSecretToken(token);
  db.insert(passwordResets)
    .values({ tokenHash, userId: user.id, expiresAt: new Date(Date.now() + RESET_VALID_MS) })
    .run();
  const t = translator(language);
  const link = `${getEnv().PUBLIC_URL}/nulstil-adgangskode/${token}`;
  // Not awaited: waiting for the SMTP server would make a known address answer measurably slower.
  sendEmail({
    to: user.email,
    subject: t("forgot.mailSubject"),
    text: t("forgot.mailBody", { name: user.name, link }),
    linkTokenHash: tokenHash,
  }).catch((error: unknown) => console.error("Nulstillingsmailen kunne ikke sendes:", error));
  return "requested";
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
    const user = tx
      .update(users)
      .set({ passwordHash })
      .where(eq(users.id, spent.userId))
      .returning({ email: users.email })
      .get();
    revokeAllSessions(spent.userId);
    // The spent links are dead now; their copies in the outbox go with them.
    if (user) forgetDeadLinks(tx, new Date(), user.email);
    return true;
  });
}
