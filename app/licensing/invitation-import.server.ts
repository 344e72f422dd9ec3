import { CsvError, parse } from "csv-parse/sync";
import { and, eq, gt, isNull } from "drizzle-orm";
import { invitations, licences, seats, users } from "#db/schema";
import { normaliseEmail } from "~/auth/auth.server";
import { emailField } from "~/auth/forms";
import type { SessionUser } from "~/auth/session.server";
import { db, type Tx } from "~/db.server";
import type { MessageKey } from "~/i18n/da";
import type { Language } from "~/i18n/i18n";
import { administeredLicence, mailInvitation, recordInvitation } from "./invitations.server";
import { seatsInUse, isLicenceSuspended } from "./licences.server";
import { danishDate } from "~/i18n/dates";
import { IMPORT_MAX_BYTES } from "./forms";

export const IMPORT_MAX_ROWS = 10_000;

/** A message for the admin: a dictionary key and the values it names. */
export type ImportProblem = { key: MessageKey; values?: Record<string, string | number> };

/** One data row; `row` is its line in the file, as the spreadsheet numbers it (the header is 1). */
export type ImportRow = { row: number; email: string; name: string };
export type RefusedRow = ImportRow & { reason: ImportProblem };

export type ImportReport = {
  accepted: ImportRow[];
  refused: RefusedRow[];
  ignoredColumns: string[];
  freeSeats: number;
};

export type ImportResult =
  | { status: "notFound" }
  | { status: "tooLarge"; problem: ImportProblem }
  | { status: "refused"; problem: ImportProblem; report: ImportReport | null }
  | { status: "imported"; report: ImportReport; mailing: Promise<void> };

type CsvFile = { rows: ImportRow[]; ignoredColumns: string[] };

// Compared with spaces and hyphens removed, so "E-mail", "Email" and "E-mailadresse" all match.
const EMAIL_HEADERS = new Set(["email", "emailadresse"]);
const NAME_HEADERS = new Set(["navn", "name"]);

// Node 20's decoder reads windows-1252 as latin-1, which leaves € and curly quotes as control codes.
const WINDOWS_1252_80_TO_9F = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder("windows-1252")
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_80_TO_9F[char.charCodeAt(0) - 0x80] ?? char);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return true;
  }
  return false;
}

/**
 * Excel saves "CSV (semikolonsepareret)" in windows-1252 and "CSV UTF-8" with a BOM; both are
 * read. Bytes that are valid UTF-8 are UTF-8, since windows-1252 text with æøå almost never is.
 * NUL and other control bytes mean UTF-16 or a renamed .xlsx, which would only parse as garbage.
 */
function decode(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = decodeWindows1252(bytes);
  }
  return hasControlCharacter(text) ? null : text;
}

function headerKey(cell: string) {
  return cell.toLowerCase().replace(/[\s-]/g, "");
}

/** Reads the uploaded bytes into rows, or says why the file cannot be used. */
export function readInvitationCsv(
  bytes: Uint8Array,
): { ok: true; file: CsvFile } | { ok: false; problem: ImportProblem } {
  const text = decode(bytes);
  if (text === null) return { ok: false, problem: { key: "import.notText" } };
  if (text.trim() === "") return { ok: false, problem: { key: "import.empty" } };

  const headerLine = text.split(/\r\n|\r|\n/, 1)[0] ?? "";
  const delimiter = headerLine.split(";").length >= headerLine.split(",").length ? ";" : ",";
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // The `info` option wraps each record with its position; csv-parse's types do not follow it.
    records = parse(text, {
      delimiter,
      info: true,
      trim: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // Excel writes a row emptied by the user as ";;", which is no one to invite.
      skip_records_with_empty_values: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError)
      return { ok: false, problem: { key: "import.malformed", values: { line: Number(error.lines) } } };
    throw error;
  }

  const [header, ...data] = records;
  if (!header) return { ok: false, problem: { key: "import.empty" } };
  const headers = header.record;
  const emailColumn = headers.findIndex((cell) => EMAIL_HEADERS.has(headerKey(cell)));
  if (emailColumn === -1) {
    return {
      ok: false,
      problem: { key: "import.noEmailColumn", values: { columns: headers.filter(Boolean).join(", ") } },
    };
  }
  const nameColumn = headers.findIndex((cell) => NAME_HEADERS.has(headerKey(cell)));
  if (data.length === 0) return { ok: false, problem: { key: "import.headerOnly" } };
  if (data.length > IMPORT_MAX_ROWS) {
    return { ok: false, problem: { key: "import.tooManyRows", values: { count: data.length, max: IMPORT_MAX_ROWS } } };
  }
  return {
    ok: true,
    file: {
      rows: data.map(({ record, info }) => ({
        row: info.lines,
        email: record[emailColumn] ?? "",
        name: nameColumn === -1 ? "" : (record[nameColumn] ?? ""),
      })),
      ignoredColumns: headers.filter((cell, index) => cell !== "" && index !== emailColumn && index !== nameColumn),
    },
  };
}

/**
 * Sorts the rows into those to invite and those refused, against the licence as it is inside
 * the caller's transaction. The name is only shown back: people choose their own when they accept.
 */
function checkRows(tx: Tx, licenceId: number, file: CsvFile, now: Date): ImportReport {
  const holders = new Set(
    tx
      .select({ email: users.email })
      .from(seats)
      .innerJoin(users, eq(users.id, seats.userId))
      .where(and(eq(seats.licenceId, licenceId), isNull(seats.revokedAt)))
      .all()
      .map((holder) => holder.email),
  );
  const invited = new Set(
    tx
      .select({ email: invitations.email })
      .from(invitations)
      .where(and(eq(invitations.licenceId, licenceId), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
      .all()
      .map((invitation) => invitation.email),
  );
  const seatCount =
    tx.select({ seatCount: licences.seatCount }).from(licences).where(eq(licences.id, licenceId)).get()?.seatCount ?? 0;

  const firstRowOf = new Map<string, number>();
  const accepted: ImportRow[] = [];
  const refused: RefusedRow[] = [];
  for (const row of file.rows) {
    const refuse = (key: MessageKey, values?: ImportProblem["values"]) =>
      refused.push({ ...row, reason: { key, values } });
    if (row.email === "") {
      refuse("import.reason.emailMissing");
      continue;
    }
    if (!emailField.safeParse(row.email).success) {
      refuse("import.reason.email");
      continue;
    }
    const email = normaliseEmail(row.email);
    const first = firstRowOf.get(email);
    if (first !== undefined) refuse("import.reason.duplicate", { row: first });
    else if (holders.has(email)) refuse("import.reason.holdsSeat");
    else if (invited.has(email)) refuse("import.reason.invited");
    else accepted.push({ ...row, email });
    firstRowOf.set(email, first ?? row.row);
  }
  return {
    accepted,
    refused,
    ignoredColumns: file.ignoredColumns,
    freeSeats: Math.max(0, seatCount - seatsInUse(licenceId, tx)),
  };
}

/**
 * Why the checked rows must not be invited, or null when they may. Refused rows stop the import
 * unless the admin said to skip them, so no one is left out without the admin having seen it.
 * More valid rows than free seats stops it too: an invitation does not hold a seat, but inviting
 * more people than there are seats guarantees that some accept and are told the licence is full.
 * Invitations already pending are not counted, since many are never accepted and they lapse.
 */
function reasonNotToImport(report: ImportReport, skipRefused: boolean): ImportProblem | null {
  if (report.accepted.length === 0) return { key: "import.nothingValid" };
  if (report.accepted.length > report.freeSeats) {
    return { key: "import.tooFewSeats", values: { count: report.accepted.length, free: report.freeSeats } };
  }
  if (report.refused.length > 0 && !skipRefused)
    return { key: "import.hasRefused", values: { refused: report.refused.length } };
  return null;
}

// One at a time, so a big import does not open thousands of SMTP connections at once.
async function mailInvitations(
  admin: Pick<SessionUser, "name">,
  organisationName: string,
  invited: { address: string; token: string }[],
  language: Language,
) {
  for (const { address, token } of invited) await mailInvitation(admin, organisationName, address, token, language);
}

/**
 * Invites every accepted row of a CSV file to a licence the admin administers, or no one: the
 * rows are checked and invited in one transaction, and the mails go out only once it has
 * committed. `mailing` settles when the last mail has been handed over; callers need not wait.
 */
export function importInvitations(
  admin: Pick<SessionUser, "id" | "name">,
  licenceId: number,
  bytes: Uint8Array,
  options: { skipRefused: boolean; language: Language },
  now = new Date(),
): ImportResult {
  const licence = administeredLicence(admin, licenceId);
  if (!licence) return { status: "notFound" };
  if (bytes.byteLength > IMPORT_MAX_BYTES) return { status: "tooLarge", problem: { key: "import.tooLarge" } };
  if (danishDate(now) > licence.endsOn)
    return { status: "refused", problem: { key: "import.licenceEnded" }, report: null };
  if (isLicenceSuspended(licenceId, now))
    return { status: "refused", problem: { key: "refusal.licenceSuspended" }, report: null };
  const read = readInvitationCsv(bytes);
  if (!read.ok) return { status: "refused", problem: read.problem, report: null };

  // Immediate: the checks read what the inserts depend on, so the write lock is taken first.
  const outcome = db.transaction(
    (tx) => {
      const report = checkRows(tx, licenceId, read.file, now);
      const problem = reasonNotToImport(report, options.skipRefused);
      if (problem) return { status: "refused", problem, report } as const;
      const invited = report.accepted.map((row) => ({
        address: row.email,
        token: recordInvitation(tx, admin, licenceId, row.email, now),
      }));
      return { status: "imported", report, invited } as const;
    },
    { behavior: "immediate" },
  );
  if (outcome.status === "refused") return outcome;
  return {
    status: "imported",
    report: outcome.report,
    mailing: mailInvitations(admin, licence.organisationName, outcome.invited, options.language),
  };
}
