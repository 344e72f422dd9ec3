import { getEnv } from "~/env.server";
import { SESSION_IDLE_MS } from "~/auth/session.server";
import type { annexSubProcessorRoles } from "./annex";
import { privacyPolicyOf, type PrivacyPolicy } from "./policy.server";
import { PURGE_PERIODS_DAYS } from "./purge-rules.server";

export type SubProcessor = { role: (typeof annexSubProcessorRoles)[number]; name: string; country: string | null };

/**
 * Everything the processing annex states that depends on this installation or this municipality:
 * read from the policy, the purge's own periods and the configuration, so the paper says what
 * the system does. The wording lives in the dictionaries (annex.ts).
 */
export type ProcessingAnnex = {
  organisationName: string;
  seller: { name: string; cvr: string };
  policy: PrivacyPolicy;
  accessLogMonths: number;
  sessionIdleHours: number;
  periods: typeof PURGE_PERIODS_DAYS;
  subProcessors: SubProcessor[];
  https: boolean;
  /** Mail leaves the platform only with an SMTP server; without one it stays in the outbox. */
  mailLeaves: boolean;
};

function smtpHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

export function processingAnnex(organisation: { id: number; name: string }): ProcessingAnnex {
  const env = getEnv();
  const subProcessors: SubProcessor[] = [];
  if (env.HOSTING_PROVIDER) {
    subProcessors.push({ role: "hosting", name: env.HOSTING_PROVIDER, country: env.HOSTING_COUNTRY ?? null });
  }
  if (env.SMTP_URL) {
    subProcessors.push({ role: "email", name: env.MAIL_PROVIDER ?? smtpHost(env.SMTP_URL), country: null });
  }
  if (env.STRIPE_SECRET_KEY) {
    // Stripe's contracting entity for customers in the EU; the dictionary names its country.
    subProcessors.push({ role: "payments", name: "Stripe Payments Europe, Ltd.", country: null });
  }
  return {
    organisationName: organisation.name,
    seller: { name: env.SELLER_NAME, cvr: env.SELLER_CVR },
    policy: privacyPolicyOf(organisation.id),
    accessLogMonths: env.ACCESS_LOG_RETENTION_MONTHS,
    sessionIdleHours: SESSION_IDLE_MS / 3600_000,
    periods: PURGE_PERIODS_DAYS,
    subProcessors,
    https: env.PUBLIC_URL.startsWith("https://"),
    mailLeaves: env.SMTP_URL !== undefined,
  };
}
