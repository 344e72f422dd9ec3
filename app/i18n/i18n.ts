import { useRouteLoaderData } from "@remix-run/react";
import { da, type MessageKey } from "./da";
import { en } from "./en";

export const languages = ["da", "en"] as const;
export type Language = (typeof languages)[number];

const dictionaries: Record<Language, Record<MessageKey, string>> = { da, en };
const intlLocales: Record<Language, string> = { da: "da-DK", en: "en-GB" };

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (languages as readonly string[]).includes(value);
}

export function translator(language: Language): Translate {
  const dictionary = dictionaries[language];
  return (key, values) =>
    (dictionary[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) =>
      values && name in values ? String(values[name]) : whole,
    );
}

export function intlLocale(language: Language) {
  return intlLocales[language];
}

export function formatPercent(language: Language, fraction: number) {
  return new Intl.NumberFormat(intlLocale(language), { style: "percent", maximumFractionDigits: 0 }).format(fraction);
}

export function formatDate(language: Language, date: Date | number) {
  return new Intl.DateTimeFormat(intlLocale(language), { dateStyle: "long", timeZone: "Europe/Copenhagen" }).format(
    date,
  );
}

/** A calendar day written YYYY-MM-DD (a licence period, a due date), shown the way the language writes dates. */
export function formatDay(language: Language, isoDate: string) {
  // Noon UTC is the same calendar day in Copenhagen in every season.
  return formatDate(language, new Date(`${isoDate}T12:00:00Z`));
}

export function formatDateTime(language: Language, date: Date | number) {
  return new Intl.DateTimeFormat(intlLocale(language), {
    dateStyle: "short",
    timeStyle: "short",
    timeZone: "Europe/Copenhagen",
  }).format(date);
}

/** m:ss or h:mm:ss, the way a player shows time. */
export function formatClock(totalSeconds: number) {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** The language chosen in the root loader, for components anywhere below it. */
export function useLanguage(): Language {
  const data = useRouteLoaderData<{ language: Language }>("root");
  return data?.language ?? "da";
}

export function useT(): Translate {
  return translator(useLanguage());
}

/** Page titles in meta functions, which cannot use hooks: the language comes from the root route's data. */
export function pageTitle(
  matches: readonly { id: string; data?: unknown }[],
  ...parts: (MessageKey | { text: string })[]
) {
  const rootData = matches.find((match) => match.id === "root")?.data as { language?: unknown } | undefined;
  const t = translator(isLanguage(rootData?.language) ? rootData.language : "da");
  return [...parts.map((part) => (typeof part === "string" ? t(part) : part.text)), t("app.name")].join(" · ");
}

/** Whether a value from outside the dictionary (a thrown response's data, a reply) names one of its messages. */
export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === "string" && Object.hasOwn(da, value);
}
