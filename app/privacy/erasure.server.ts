import { randomUUID } from "node:crypto";
import { and, count, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import {
  certificates,
  memberships,
  seats,
  sessions,
  ssoSessions,
  trainingCycles,
  trainingReminders,
  users,
  type Profession,
} from "#db/schema";
import { db, sqlite, type Tx } from "~/db.server";
import type { MessageKey } from "~/i18n/da";
import { recordAccess } from "./access-log.server";

/**
 * Where a column pointing at users holds activity that municipal and owner figures count: it moves
 * to the anonymous stand-in, so every report still adds up without anyone being named.
 */
const MOVED_TO_STAND_IN = new Set([
  "module_progress.user_id",
  "module_progress_archive.user_id",
  "quiz_attempts.user_id",
  "training_cycles.user_id",
  "course_restarts.user_id",
  "meeting_participants.user_id",
  "seats.user_id",
  "memberships.user_id",
  "certificates.user_id",
]);

/**
 * Rows that exist only because of the person and count in no figure: their logins, tokens, mails
 * due to them, and the marks that say they answered a survey or a measurement (the answers stay,
 * anonymous or under a pseudonym keyed by an id that no longer exists).
 */
const DELETED_WITH_PERSON = new Set([
  "sessions.user_id",
  "password_resets.user_id",
  "external_identities.user_id",
  "scim_users.user_id",
  "seat_requests.user_id",
  "training_assignment_people.user_id",
  "training_digests.recipient_user_id",
  "measurement_submissions.user_id",
  "measurement_follow_ups.user_id",
  "meeting_presenters.user_id",
  "quiz_retakes.user_id",
  "feedback_submissions.user_id",
]);

/**
 * Text the bookkeeping act (bogføringsloven § 10: five years) keeps as it was: the person an order
 * and its invoice name as the buyer's reference and contact, and the municipality's invoice address.
 */
const KEPT_FOR_BOOKKEEPING = new Set([
  "orders.person_reference",
  "orders.buyer_name",
  "orders.buyer_email",
  "organisations.invoice_email",
]);

/**
 * Tables whose rows mentioning the person are deleted whole rather than edited: mails, counters,
 * pending sign-ins and error notes that mean nothing without the person.
 */
const ROWS_DELETED_WHEN_NAMED = new Set(["outbox_emails", "rate_limits", "invitations", "sso_flows", "sso_errors"]);

/** What stands where an erased person's name or address was written in a log or a text. */
export const ERASED_PLACEHOLDER = "[slettet]";

/** The reserved top-level domain of RFC 2606: no mail can ever reach a stand-in's address. */
const standInEmail = () => `slettet-${randomUUID()}@invalid`;

type Column = { table: string; column: string; notNull: boolean };

/** Every column of every table that points at users, as the database itself declares them. */
function userReferences(tx: Tx): Column[] {
  return tableNames(tx).flatMap((table) => {
    const notNull = new Set(
      tx
        .all<{ name: string; notnull: number }>(sql`select name, "notnull" from pragma_table_info(${table})`)
        .filter((column) => column.notnull)
        .map((column) => column.name),
    );
    return tx
      .all<{ table: string; from: string }>(sql`select "table", "from" from pragma_foreign_key_list(${table})`)
      .filter((key) => key.table === "users")
      .map((key) => ({ table, column: key.from, notNull: notNull.has(key.from) }));
  });
}

/** Every text column outside the users table (other people's accounts share names, not rows). */
function textColumns(tx: Tx): Column[] {
  return tableNames(tx)
    .filter((table) => table !== "users")
    .flatMap((table) =>
      tx
        .all<{ name: string; type: string; notnull: number }>(
          sql`select name, type, "notnull" from pragma_table_info(${table})`,
        )
        .filter((column) => /text/i.test(column.type))
        .map((column) => ({ table, column: column.name, notNull: column.notnull === 1 })),
    );
}

function tableNames(tx: Tx): string[] {
  return tx
    .all<{ name: string }>(
      sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name`,
    )
    .map((row) => row.name);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The needle as a whole word or address, in any letter case: "Bo Ek" is not found inside "Bo Eklund",
 * nor "bo@x.dk" inside "jacobo@x.dk", so nobody else's text is touched.
 */
const wholeWord = (needle: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}._%+-])${escapeRegExp(needle)}(?![\\p{L}\\p{N}_-])`, "giu");

/**
 * `erased_text(value, needle)`: the value with the needle, wherever it stands as a whole word,
 * replaced by the placeholder; the value itself where it does not. Registered once per connection,
 * since SQLite's replace() and lower() know neither case beyond ASCII nor word boundaries.
 */
const connectionsWithFunction = new WeakSet<object>();
function ensureErasedTextFunction() {
  const connection = sqlite();
  if (connectionsWithFunction.has(connection)) return;
  connection.function("erased_text", { deterministic: true }, (value: unknown, needle: unknown) =>
    typeof value === "string" && typeof needle === "string" && needle !== ""
      ? value.replace(wholeWord(needle), ERASED_PLACEHOLDER)
      : value,
  );
  connectionsWithFunction.add(connection);
}

/**
 * What is searched for in free text: the address always, the name only when it is a full name.
 * A single word ("Sofie") is as likely a film's character or an everyday word as this person, and
 * replacing it would rewrite other people's texts and the course itself.
 */
function needlesOf(person: Person): string[] {
  const name = person.name.trim();
  return /\s/.test(name) ? [person.email, name] : [person.email];
}

type Person = { id: number; email: string; name: string; profession: Profession | null };

/**
 * The erasure itself, inside the caller's transaction: the person's counted activity moves to a new
 * anonymous stand-in, what only identifies them is deleted, every other reference is cleared, and
 * the users row goes last. Returns the stand-in's id.
 */
export function eraseWithin(tx: Tx, person: Person, now: Date): number {
  ensureErasedTextFunction();
  // Profession stays: reports break figures down by it, and they leave out groups under 5.
  const standIn = tx
    .insert(users)
    .values({
      email: standInEmail(),
      name: "",
      passwordHash: null,
      platformRole: null,
      profession: person.profession,
      deactivatedAt: now,
      erasedAt: now,
      createdAt: now,
    })
    .returning({ id: users.id })
    .get().id;

  // A freed seat returns to the licence; the seat row and its place in the licence's history stay.
  tx.update(seats)
    .set({ revokedAt: now })
    .where(and(eq(seats.userId, person.id), isNull(seats.revokedAt)))
    .run();
  // Lists never show the stand-in, while countedPeople still counts it as the municipality's.
  tx.update(memberships)
    .set({ userId: standIn, role: "learner", unitId: null, unlistedAt: now })
    .where(eq(memberships.userId, person.id))
    .run();
  tx.update(certificates)
    .set({ userId: standIn, recipientName: "", withdrawnAt: now })
    .where(eq(certificates.userId, person.id))
    .run();
  // Which reminders went to them says something about them; the rounds themselves move.
  const cycleIds = tx
    .select({ id: trainingCycles.id })
    .from(trainingCycles)
    .where(eq(trainingCycles.userId, person.id))
    .all()
    .map((cycle) => cycle.id);
  if (cycleIds.length > 0) tx.delete(trainingReminders).where(inArray(trainingReminders.cycleId, cycleIds)).run();
  // A municipal sign-in's ID token names them; it hangs off the session, which goes below.
  tx.delete(ssoSessions)
    .where(
      inArray(
        ssoSessions.sessionIdHash,
        tx.select({ idHash: sessions.idHash }).from(sessions).where(eq(sessions.userId, person.id)),
      ),
    )
    .run();

  for (const reference of userReferences(tx)) {
    const key = `${reference.table}.${reference.column}`;
    const table = sql.identifier(reference.table);
    const column = sql.identifier(reference.column);
    if (MOVED_TO_STAND_IN.has(key))
      tx.run(sql`update ${table} set ${column} = ${standIn} where ${column} = ${person.id}`);
    else if (DELETED_WITH_PERSON.has(key)) tx.run(sql`delete from ${table} where ${column} = ${person.id}`);
    // A new table that must hold a user decides here what erasure does with it; nothing is guessed.
    else if (reference.notNull) throw new Error(`erasure does not know what to do with ${key}`);
    // Who granted, decided, created or presented something: the act stays, the name goes.
    else tx.run(sql`update ${table} set ${column} = null where ${column} = ${person.id}`);
  }

  const needles = needlesOf(person);
  for (const text of textColumns(tx)) {
    if (KEPT_FOR_BOOKKEEPING.has(`${text.table}.${text.column}`)) continue;
    const table = sql.identifier(text.table);
    const column = sql.identifier(text.column);
    for (const needle of needles) {
      // instr() picks the few candidate rows cheaply (case-blind for ASCII only); the function decides.
      const named = sql`instr(lower(${column}), lower(${needle})) > 0 and erased_text(${column}, ${needle}) <> ${column}`;
      if (ROWS_DELETED_WHEN_NAMED.has(text.table)) tx.run(sql`delete from ${table} where ${named}`);
      else tx.run(sql`update ${table} set ${column} = erased_text(${column}, ${needle}) where ${named}`);
    }
  }

  tx.delete(users).where(eq(users.id, person.id)).run();
  return standIn;
}

export type ErasureRequest = { personId: number; organisationId: number; byUserId: number };

export type ErasureRefusal = { status: "refused"; httpStatus: 404 | 409; message: MessageKey };
export type ErasureResult = { status: "erased"; standInId: number } | ErasureRefusal;

const refused = (httpStatus: 404 | 409, message: MessageKey): ErasureRefusal => ({
  status: "refused",
  httpStatus,
  message,
});

/** The person as an admin of the municipality may see them: a member of it, or nobody (an erased stand-in is nobody). */
export function personInMunicipality(personId: number, organisationId: number, handle: Pick<Tx, "select"> = db) {
  return (
    handle
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        profession: users.profession,
        platformRole: users.platformRole,
        role: memberships.role,
      })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .where(and(eq(users.id, personId), eq(memberships.organisationId, organisationId), isNull(users.erasedAt)))
      .get() ?? null
  );
}

/**
 * A municipality's admin erases one of its people, in one transaction that also logs the erasure
 * (who did it and where, never whom). Someone of another municipality is not found; the course
 * owner's account and a person another municipality also employs are not this municipality's to
 * erase; an admin cannot erase themselves while nobody else could administer the municipality.
 */
export function erasePerson(request: ErasureRequest, now = new Date()): ErasureResult {
  return db.transaction(
    (tx): ErasureResult => {
      const person = personInMunicipality(request.personId, request.organisationId, tx);
      if (!person) return refused(404, "erasure.personNotFound");
      if (person.platformRole === "owner") return refused(409, "erasure.refusedOwner");
      const elsewhere = tx
        .select({ n: count() })
        .from(memberships)
        .where(and(eq(memberships.userId, person.id), ne(memberships.organisationId, request.organisationId)))
        .get()!.n;
      if (elsewhere > 0) return refused(409, "erasure.refusedOtherMunicipality");
      if (person.id === request.byUserId) {
        const otherAdmins = tx
          .select({ n: count() })
          .from(memberships)
          .where(
            and(
              eq(memberships.organisationId, request.organisationId),
              eq(memberships.role, "admin"),
              ne(memberships.userId, person.id),
            ),
          )
          .get()!.n;
        if (otherAdmins === 0) return refused(409, "erasure.refusedLastAdmin");
      }
      // Logged first, so an admin who erases themselves is cleared from their own entry by the walk.
      recordAccess(
        { viewerId: request.byUserId, organisationId: request.organisationId, action: "erasePerson" },
        now,
        tx,
      );
      const standInId = eraseWithin(tx, person, now);
      return { status: "erased", standInId };
    },
    { behavior: "immediate" },
  );
}
