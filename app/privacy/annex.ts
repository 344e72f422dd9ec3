import type { SerializeFrom } from "@remix-run/node";
import type { Translate } from "~/i18n/i18n";
import type { ProcessingAnnex } from "./annex.server";

export type AnnexItem = { term: string; text: string };
export type AnnexSection = { id: string; heading: string; intro?: string; items: AnnexItem[] };

export const annexPeople = ["staff", "leaders", "admins"] as const;

export const annexDataCategories = [
  "identity",
  "seats",
  "viewing",
  "quiz",
  "certificates",
  "feedbackNamed",
  "feedbackAnonymous",
  "measurement",
  "meetings",
  "accessLog",
  "technical",
] as const;

/** Every measure the annex can name; https only when the platform is reached over https. */
export const annexSecurityMeasures = [
  "passwords",
  "sessions",
  "ssoSecrets",
  "https",
  "headers",
  "rateLimits",
  "media",
  "accessLog",
  "pseudonyms",
  "purge",
] as const;

export const annexSubProcessorRoles = ["hosting", "email", "payments"] as const;

/**
 * The processing annex as headed sections of terms and texts, in the reader's language: the page
 * shows them, and the PDF (in Danish) prints the same, so the two never say different things.
 */
export function annexSections(annex: ProcessingAnnex | SerializeFrom<ProcessingAnnex>, t: Translate): AnnexSection[] {
  const numbers = {
    months: annex.policy.retentionMonths,
    graceDays: annex.policy.unlistGraceDays,
    accessLogMonths: annex.accessLogMonths,
    idleHours: annex.sessionIdleHours,
    invitationDays: annex.periods.spentInvitations,
    outboxDays: annex.periods.outboxEmails,
    playbackDays: annex.periods.settledMeetingPlayback,
    ssoErrorDays: annex.periods.ssoErrors,
  };
  const security = annexSecurityMeasures.filter((measure) => measure !== "https" || annex.https);
  const hosting = annex.subProcessors.find((sub) => sub.role === "hosting");
  return [
    {
      id: "parties",
      heading: t("annex.parties.heading"),
      items: [
        { term: t("annex.parties.controller"), text: annex.organisationName },
        { term: t("annex.parties.processor"), text: `${annex.seller.name}, CVR ${annex.seller.cvr}` },
      ],
    },
    {
      id: "people",
      heading: t("annex.people.heading"),
      items: annexPeople.map((kind) => ({
        term: t(`annex.people.${kind}`),
        text: t(`annex.people.${kind}.text`),
      })),
    },
    {
      id: "data",
      heading: t("annex.data.heading"),
      intro: t("annex.data.intro", numbers),
      items: annexDataCategories.map((category) => ({
        term: t(`annex.data.${category}`),
        text: [t(`annex.data.${category}.purpose`), t(`annex.data.${category}.retention`, numbers)].join(" "),
      })),
    },
    {
      id: "storage",
      heading: t("annex.storage.heading"),
      items: [
        {
          term: t("annex.storage.where"),
          text: hosting
            ? t("annex.storage.hosted", {
                provider: hosting.country ? `${hosting.name}, ${hosting.country}` : hosting.name,
              })
            : t("annex.storage.own", { seller: annex.seller.name }),
        },
        {
          term: t("annex.storage.mail"),
          text: annex.mailLeaves ? t("annex.storage.mailSent") : t("annex.storage.mailKept"),
        },
      ],
    },
    {
      id: "subProcessors",
      heading: t("annex.subProcessors.heading"),
      intro: annex.subProcessors.length === 0 ? t("annex.subProcessors.none") : undefined,
      items: annex.subProcessors.map((sub) => ({
        term: t(`annex.subProcessors.${sub.role}`),
        text: sub.country ? `${sub.name} (${sub.country})` : sub.name,
      })),
    },
    {
      id: "security",
      heading: t("annex.security.heading"),
      intro: t("annex.security.intro"),
      items: security.map((measure) => ({
        term: t(`annex.security.${measure}`),
        text: t(`annex.security.${measure}.text`, numbers),
      })),
    },
  ];
}
