import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  invoiceStatuses,
  quizQuestionKinds,
  seatEventKinds,
  trainingReminderSteps,
  trainingScopes,
  unitKinds,
} from "#db/schema";
import type { PaymentState } from "~/billing/invoices.server";
import { da } from "~/i18n/da";
import { en } from "~/i18n/en";
import type { JoinLinkState } from "~/licensing/join-links.server";
import { personStatuses } from "~/licensing/person-status";
import { annexDataCategories, annexPeople, annexSecurityMeasures, annexSubProcessorRoles } from "~/privacy/annex";
import { purgeSummaryNames } from "~/privacy/purge.server";
import type { ServerRefusal } from "~/server/refusals.server";
import { trainingMailKinds } from "~/training/mail-settings";
import { trainingStates } from "~/training/states";

/**
 * Every text is in both dictionaries and something in app/ shows it. A key is used when app/ names
 * it as a string literal, or when it is one of the keys built from a template below.
 */

const appDirectory = fileURLToPath(new URL("../../app", import.meta.url));
const dictionaryFiles = new Set(["i18n/da.ts", "i18n/en.ts"].map((file) => path.join(appDirectory, file)));

function sourceFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !dictionaryFiles.has(file) ? [file] : [];
  });
}

const sources = sourceFiles(appDirectory).map((file) => ({
  file: path.relative(appDirectory, file),
  text: fs.readFileSync(file, "utf8"),
}));

/** Only a type names these values, so a record of them makes tsc insist on every one and no other. */
function allOf<T extends string>(values: Record<T, true>): T[] {
  return Object.keys(values) as T[];
}

const serverRefusals = allOf<ServerRefusal>({ badRequest: true, crossSite: true, tooLarge: true, failed: true });

/**
 * Each key app/ builds from a template (`${…}` written as *), with every value its dynamic part
 * can take. A new template, or a value that gains or loses a text, has to be declared here.
 */
const templatedKeys: Record<string, readonly string[]> = {
  "admin.status.*": personStatuses,
  "admin.event.*": seatEventKinds,
  "billing.status.*": invoiceStatuses,
  "billing.state.*": allOf<PaymentState>({ none: true, paid: true, awaiting: true, overdue: true }),
  "joinLinks.state.*": allOf<JoinLinkState>({ active: true, expired: true, revoked: true, usedUp: true }),
  "org.kind.*": unitKinds,
  "quiz.builder.kind.*": quizQuestionKinds,
  "quiz.builder.add.*": quizQuestionKinds,
  // The course page's quiz states; "passed" has a key of its own, which shows the score.
  "quiz.state.*": ["afterFilm", "pending", "failed"],
  "server.*.title": serverRefusals,
  "server.*.text": serverRefusals,
  "training.state.*": trainingStates,
  "training.scope.*": trainingScopes,
  "training.reminder.*.subject": trainingReminderSteps,
  "training.reminder.*.body": trainingReminderSteps,
  "training.settings.*": trainingMailKinds,
  "privacy.purge.rule.*": purgeSummaryNames,
  "annex.people.*": annexPeople,
  "annex.people.*.text": annexPeople,
  "annex.data.*": annexDataCategories,
  "annex.data.*.purpose": annexDataCategories,
  "annex.data.*.retention": annexDataCategories,
  "annex.subProcessors.*": annexSubProcessorRoles,
  "annex.security.*": annexSecurityMeasures,
  "annex.security.*.text": annexSecurityMeasures,
};

const namespaces = new Set(Object.keys(da).map((key) => key.split(".")[0]));

function isKeyShaped(text: string): boolean {
  return /^[A-Za-z]+(\.[\w*]+)+$/.test(text) && namespaces.has(text.split(".")[0] ?? "");
}

/** The templates app/ builds keys from, each with the files it is built in. */
function keyTemplatesInApp(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const { file, text } of sources) {
    for (const [, body = ""] of text.matchAll(/`([^`]*)`/g)) {
      if (!body.includes("${")) continue;
      const template = body.replace(/\$\{[^}]*\}/g, "*");
      if (isKeyShaped(template)) found.set(template, [...(found.get(template) ?? []), file]);
    }
  }
  return found;
}

function literalStringsInApp(): Set<string> {
  const literals = new Set<string>();
  for (const { text } of sources) {
    for (const [, , literal = ""] of text.matchAll(/(["'`])([A-Za-z][\w]*(?:\.[\w]+)+)\1/g)) literals.add(literal);
  }
  return literals;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map(([, name]) => name).sort();

describe("the i18n dictionaries", () => {
  it("have the same keys in Danish and English", () => {
    const daKeys = Object.keys(da);
    const enKeys = Object.keys(en);
    expect(daKeys.filter((key) => !Object.hasOwn(en, key))).toEqual([]);
    expect(enKeys.filter((key) => !Object.hasOwn(da, key))).toEqual([]);
  });

  it("give every text the same placeholders in both languages", () => {
    const differing = (Object.keys(da) as (keyof typeof da)[]).filter(
      (key) => Object.hasOwn(en, key) && placeholders(da[key]).join() !== placeholders(en[key]).join(),
    );
    expect(differing).toEqual([]);
  });

  it("build keys in app/ only from the templates declared here, and from no concatenation", () => {
    const found = keyTemplatesInApp();
    expect([...found.keys()].sort()).toEqual(Object.keys(templatedKeys).sort());
    const concatenated = sources.filter(({ text }) =>
      [...text.matchAll(/["'`]([A-Za-z]+(?:\.\w+)*\.)["'`]\s*\+/g)].some(([, start = ""]) =>
        namespaces.has(start.split(".")[0] ?? ""),
      ),
    );
    expect(concatenated.map(({ file }) => file)).toEqual([]);
  });

  it("have a text for every value a templated key can take", () => {
    const missing = Object.entries(templatedKeys).flatMap(([template, values]) =>
      values.map((value) => template.replace("*", value)).filter((key) => !Object.hasOwn(da, key)),
    );
    expect(missing).toEqual([]);
  });

  it("hold no key that nothing in app/ uses", () => {
    const literals = literalStringsInApp();
    const templated = new Set(
      Object.entries(templatedKeys).flatMap(([template, values]) =>
        values.map((value) => template.replace("*", value)),
      ),
    );
    const unused = Object.keys(da).filter((key) => !literals.has(key) && !templated.has(key));
    expect(unused).toEqual([]);
  });
});
