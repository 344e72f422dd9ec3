import fs from "node:fs";
import { eq, sql } from "drizzle-orm";
import { licences, memberships, organisations, seats, users } from "#db/schema";
import { seedDatabase } from "~/cli/seed/seed-database";
import { migrateDatabase, openDatabase, type Db } from "~/db.server";

export function removeDatabase(file: string) {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true });
}

/**
 * Seeds through a connection of its own, closed again before the app's lazily opened
 * singleton is used, so the measured calls see the file exactly as the server would.
 */
export async function createBenchDatabase(file: string, extraLearners: number): Promise<{ sqliteVersion: string }> {
  removeDatabase(file);
  const { db, sqlite } = openDatabase(file);
  try {
    migrateDatabase(db);
    await seedDatabase(db);
    const organisation = db
      .select({ id: organisations.id })
      .from(organisations)
      .where(sql`${organisations.slug} = 'demo-kommune'`)
      .get();
    if (!organisation) throw new Error("The seed has no demo-kommune");
    const licence = db
      .select({ id: licences.id })
      .from(licences)
      .where(eq(licences.organisationId, organisation.id))
      .get();
    if (!licence) throw new Error("The seed gives demo-kommune no licence");
    // A handful of demo accounts would keep every index tiny; a municipality has hundreds of staff,
    // each with a seat, since a seat is what opens the films.
    addBenchLearners(db, licence.id, 0, extraLearners);
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    return { sqliteVersion: String(sqlite.prepare("select sqlite_version()").pluck().get()) };
  } finally {
    sqlite.close();
  }
}

/** Learners bench-<first>… in the licence's municipality, each holding a seat on it; the licence grows to hold them. */
export function addBenchLearners(db: Db, licenceId: number, first: number, count: number) {
  db.transaction((tx) => {
    const licence = tx
      .select({ organisationId: licences.organisationId, seatCount: licences.seatCount })
      .from(licences)
      .where(eq(licences.id, licenceId))
      .get();
    if (!licence) throw new Error(`No licence ${licenceId}`);
    tx.update(licences)
      .set({ seatCount: licence.seatCount + count })
      .where(eq(licences.id, licenceId))
      .run();
    for (let index = first; index < first + count; index++) {
      const user = tx
        .insert(users)
        .values({ email: `bench-${index}@demo-kommune.dk`, name: `Bench ${index}`, passwordHash: null })
        .returning({ id: users.id })
        .get();
      tx.insert(memberships).values({ userId: user.id, organisationId: licence.organisationId, role: "learner" }).run();
      tx.insert(seats).values({ licenceId, userId: user.id, claimedAt: new Date() }).run();
    }
  });
}
