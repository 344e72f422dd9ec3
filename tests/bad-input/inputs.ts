/**
 * The bad input the test sends: what a person can type or paste, what a broken or altered page
 * sends, and what someone probing the platform would try. Fixed lists, so every run sends the same.
 */

import { DEMO_PASSWORD } from "~/cli/seed/accounts";

export const LONG = "x".repeat(10_000);
export const CONTROL = "a\u0000b\u0001c\u000bd\u001be\u007ff\r\ng";
export const EMOJI = "🙂👩🏽‍💻🇩🇰 ✨";

export type Value = string | FileValue;
export type FileValue = { file: true; name: string; type: string; content: string };
export type Entries = Array<[string, Value]>;

export const fileValue = (name: string, type: string, content: string): FileValue => ({
  file: true,
  name,
  type,
  content,
});

/** Files that are not what their names say, and files that are broken versions of what they say. */
export const BAD_FILES: FileValue[] = [
  fileValue("film.mp4", "video/mp4", "Dette er en tekstfil, ikke en film.\n"),
  fileValue("personer.csv", "text/csv", "Dette er en tekstfil med et .csv-navn og ingen kolonner\n"),
  fileValue("tom.csv", "text/csv", ""),
  fileValue(
    "brudt.csv",
    "text/csv",
    `navn,e-mail\n"Anne,=cmd|' /C calc'!A0,anne@demo-kommune.dk\n${LONG},\u0000@demo-kommune.dk\n${EMOJI},${EMOJI}\n`,
  ),
  fileValue("undertekster.vtt", "text/vtt", "WEBVTT\n\n00:99:00.000 --> abc\n\u0000\n"),
  fileValue(`${"n".repeat(300)}.mp4`, "video/mp4", "\u0000\u0000\u0000\u0018ftypmp42 men ikke mere"),
];

/** What a path parameter is replaced with, already encoded for the address; `post` ones are sent to the route's action too. */
export const BAD_PATH_VALUES: Array<{ label: string; value: string; post?: true }> = [
  { label: "abc", value: "abc", post: true },
  { label: "0", value: "0" },
  { label: "-1", value: "-1", post: true },
  { label: "1e3", value: "1e3" },
  { label: "1.5", value: "1.5" },
  { label: "99999999999", value: "99999999999", post: true },
  { label: "10,000 chars", value: LONG, post: true },
  { label: "%00", value: "%00", post: true },
  { label: "broken escape", value: "%E0%A4%A" },
  { label: "lone %", value: "%", post: true },
  { label: "emoji", value: encodeURIComponent(EMOJI) },
  { label: "dot segments", value: "..%2F..%2Fetc%2Fpasswd" },
];

/** What a query-string parameter is given; `null` sends the name twice instead. */
export const BAD_QUERY_VALUES: Array<{ label: string; value: string | null }> = [
  { label: "empty", value: "" },
  { label: "10,000 chars", value: LONG },
  { label: "control chars + NUL", value: CONTROL },
  { label: "emoji", value: EMOJI },
  { label: "abc", value: "abc" },
  { label: "-1", value: "-1" },
  { label: "0", value: "0" },
  { label: "1e3", value: "1e3" },
  { label: "99999999999", value: "99999999999" },
  { label: "malformed date", value: "2026-02-30" },
  { label: "array syntax", value: "[object Object]" },
  { label: "duplicated", value: null },
];

export type FieldInfo = {
  name: string;
  /** input type, or "select" / "textarea". */
  type: string;
  value: string;
  options: string[];
  min: string | null;
  max: string | null;
};

export type Mutation = { label: string; apply: (entries: Entries) => Entries };

const replace =
  (name: string, value: Value | null): ((entries: Entries) => Entries) =>
  (entries) => {
    const kept = entries.filter(([key]) => key !== name);
    const at = entries.findIndex(([key]) => key === name);
    if (value === null) return kept;
    const next: Entries = [...kept];
    next.splice(at === -1 ? next.length : at, 0, [name, value]);
    return next;
  };

const looksNumeric = (field: FieldInfo) =>
  field.type === "number" ||
  field.type === "range" ||
  /^-?\d+(?:[.,]\d+)?$/.test(field.value) ||
  /(?:id|count|seats|size|max|min|amount|quantity|percent|minutes|year|uses|position|order)$/i.test(field.name);
const looksLikeDate = (field: FieldInfo) =>
  ["date", "datetime-local", "month", "week", "time"].includes(field.type) ||
  /^\d{4}-\d{2}-\d{2}/.test(field.value) ||
  /(?:[Dd]ate|On|At|From|Until)$/.test(field.name);
const isChoice = (field: FieldInfo) => ["select", "radio", "checkbox"].includes(field.type);

/**
 * Every way one field of a form is spoiled: emptied, left out, made 10,000 characters long,
 * given control characters and NUL, emoji, numbers out of range, malformed dates, an option the
 * select does not have, and sent twice.
 */
export function fieldMutations(field: FieldInfo): Mutation[] {
  const { name } = field;
  const mutations: Mutation[] = [
    { label: "empty", apply: replace(name, "") },
    { label: "missing", apply: replace(name, null) },
    { label: "10,000 chars", apply: replace(name, LONG) },
    { label: "control chars + NUL", apply: replace(name, CONTROL) },
    { label: "emoji", apply: replace(name, EMOJI) },
    { label: "duplicated", apply: (entries) => [...entries, [name, `${field.value}x`]] },
  ];
  if (looksNumeric(field)) {
    const bounds = [
      field.min !== null ? String(Number(field.min) - 1) : null,
      field.max !== null ? String(Number(field.max) + 1) : null,
    ].filter((v) => v !== null && v !== "NaN");
    for (const value of ["-1", "1.5", "99999999999", "1e309", ...bounds])
      mutations.push({ label: `number ${value}`, apply: replace(name, value!) });
  }
  if (looksLikeDate(field)) {
    for (const value of ["2026-02-30", "31-12-2026", "0000-00-00"])
      mutations.push({ label: `date ${value}`, apply: replace(name, value) });
  }
  if (isChoice(field)) mutations.push({ label: "not an option", apply: replace(name, "ikke-en-mulighed") });
  return mutations;
}

/** A form sent as JSON, as a script that never read the form would. */
export const asJson = (entries: Entries) =>
  JSON.stringify(
    Object.fromEntries(entries.map(([key, value]) => [key, typeof value === "string" ? value : value.name])),
  );

/** Broken multipart bodies: cut off, with a boundary that is not the one announced, without a boundary. */
export const BROKEN_MULTIPART: Array<{ label: string; contentType: string; body: string }> = [
  {
    label: "multipart cut off",
    contentType: "multipart/form-data; boundary=----fuzz",
    body: '------fuzz\r\nContent-Disposition: form-data; name="intent"\r\n\r\nx\r\n------fuzz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nnavn,e-mail\r\nAnne',
  },
  {
    label: "multipart, wrong boundary",
    contentType: "multipart/form-data; boundary=----fuzz",
    body: '------andet\r\nContent-Disposition: form-data; name="intent"\r\n\r\nx\r\n------andet--\r\n',
  },
  { label: "multipart without boundary", contentType: "multipart/form-data", body: "intent=x" },
  {
    label: "multipart, header without name",
    contentType: "multipart/form-data; boundary=----fuzz",
    body: '------fuzz\r\nContent-Disposition: form-data\r\n\r\n\u0000\r\n------fuzz\r\nContent-Disposition: form-data; name="\u0000"; filename="../../x.mp4"\r\n\r\nx\r\n------fuzz--\r\n',
  },
];

/** A valid-looking value for an empty field, so a form's other fields are checked past its first error. */
export function plausibleValue(field: FieldInfo, serial: number): string {
  const { name, type } = field;
  if (type === "email" || /e-?mail/i.test(name)) return `fuzz-${serial}@demo-kommune.dk`;
  if (type === "password" || /password|adgangskode/i.test(name)) return DEMO_PASSWORD;
  if (type === "date") return new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  if (type === "number" || type === "range") return field.min ?? "1";
  if (type === "url") return "https://example.org/";
  if (/cvr/i.test(name)) return "29181004";
  if (/ean/i.test(name)) return "5798000123458";
  if (/postal|postnummer|zip/i.test(name)) return "7100";
  if (type === "tel" || /phone|telefon/i.test(name)) return "12345678";
  if (type === "textarea") return `Fuzztekst ${serial}\nAnden linje.`;
  return `Fuzz ${serial}`;
}
