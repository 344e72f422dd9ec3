import { eq } from "drizzle-orm";
import { accessLog, users } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { recordAccess } from "~/privacy/access-log.server";
import * as logCsv from "~/routes/administration.adgangslog[.]csv";
import * as logPage from "~/routes/administration.adgangslog";
import * as peopleCsv from "~/routes/administration.personer[.]csv";
import { csvRows } from "../utils/feedback";
import { jsonOf, request, routeArgs, sessionCookieFor, settle, userIdByEmail } from "../utils/requests";

type LogPage = {
  organisation: { id: number };
  rows: { viewerName: string | null; action: string; format: string | null; at: string }[];
};

async function as(email: string, path: string) {
  return routeArgs(request(path, { cookie: await sessionCookieFor(email) }));
}

describe("the access log", () => {
  it("shows an admin's CSV export of the people overview, with the admin's name, to that municipality only", async () => {
    const csv = await settle(async () =>
      peopleCsv.loader(await as(demoEmails.admin, "/administration/personer.csv?organisation=1")),
    );
    expect(csv.status).toBe(200);

    const page = await jsonOf<LogPage>(
      await settle(async () => logPage.loader(await as(demoEmails.admin, "/administration/adgangslog"))),
    );
    const adminName = db.select({ name: users.name }).from(users).where(eq(users.email, demoEmails.admin)).get()!.name;
    // Newest first: reading the log is noted before the rows are read, so it heads the list.
    expect(page.rows.map(({ viewerName, action, format }) => ({ viewerName, action, format }))).toEqual([
      { viewerName: adminName, action: "viewAccessLog", format: null },
      { viewerName: adminName, action: "exportPeople", format: "csv" },
    ]);

    const exported = await settle(async () =>
      logCsv.loader(await as(demoEmails.admin, "/administration/adgangslog.csv?action=exportPeople")),
    );
    expect(exported.status).toBe(200);
    expect(exported.headers.get("Content-Disposition")).toBe('attachment; filename="adgangslog-1.csv"');
    const rows = csvRows(await exported.text());
    expect(rows.slice(1).map((row) => row.slice(1))).toEqual([[adminName, "Hentede medarbejderoversigten", "csv"]]);

    // The neighbouring municipality's admin sees their own log: their own visit, nothing of Demo Kommune's.
    const neighbour = await jsonOf<LogPage>(
      await settle(async () => logPage.loader(await as(demoEmails.neighbourAdmin, "/administration/adgangslog"))),
    );
    expect(neighbour.organisation.id).not.toBe(1);
    expect(neighbour.rows.map((row) => row.action)).toEqual(["viewAccessLog"]);
    const asked = await settle(async () =>
      logPage.loader(await as(demoEmails.neighbourAdmin, "/administration/adgangslog?organisation=1")),
    );
    expect(asked.status).toBe(404);
    const askedCsv = await settle(async () =>
      logCsv.loader(await as(demoEmails.neighbourAdmin, "/administration/adgangslog.csv?organisation=1")),
    );
    expect(askedCsv.status).toBe(404);
  });

  it("filters by action and Danish calendar days, and calls a viewer who is gone a deleted user", async () => {
    const admin = userIdByEmail(demoEmails.admin);
    // 23:30 UTC on 1 December is already 2 December in Copenhagen.
    recordAccess({ viewerId: admin, organisationId: 1, action: "viewPerson" }, new Date("2026-12-01T23:30:00Z"));
    // An admin who has since been deleted: the log keeps the row and loses the name.
    const gone = db
      .insert(users)
      .values({ email: "tidligere@demo-kommune.dk", name: "Tidligere Admin" })
      .returning()
      .get();
    recordAccess(
      { viewerId: gone.id, organisationId: 1, action: "exportPersonData", format: "pdf" },
      new Date("2026-12-03T09:00:00Z"),
    );
    db.delete(users).where(eq(users.id, gone.id)).run();
    recordAccess({ viewerId: admin, organisationId: 1, action: "viewPerson" }, new Date("2026-11-30T12:00:00Z"));

    const onSecond = await jsonOf<LogPage>(
      await settle(async () =>
        logPage.loader(await as(demoEmails.admin, "/administration/adgangslog?from=2026-12-02&to=2026-12-02")),
      ),
    );
    expect(onSecond.rows.map((row) => row.at)).toEqual(["2026-12-01T23:30:00.000Z"]);

    const exports = await jsonOf<LogPage>(
      await settle(async () =>
        logPage.loader(
          await as(demoEmails.admin, "/administration/adgangslog?action=exportPersonData&from=2026-12-01"),
        ),
      ),
    );
    expect(exports.rows).toEqual([
      expect.objectContaining({ viewerName: null, action: "exportPersonData", format: "pdf" }),
    ]);

    for (const query of ["?action=dropTables", "?from=2026-02-30", "?from=2026-12-05&to=2026-12-01"]) {
      const refused = await settle(async () =>
        logPage.loader(await as(demoEmails.admin, `/administration/adgangslog${query}`)),
      );
      expect(refused.status, query).toBe(400);
    }
    // A refused filter is not a view of the log.
    expect(db.select().from(accessLog).where(eq(accessLog.action, "viewAccessLog")).all()).toHaveLength(2);
  });

  it("is not for learners, leaders or the course owner", async () => {
    for (const email of [demoEmails.learner, demoEmails.leader, demoEmails.owner]) {
      const refused = await settle(async () => logPage.loader(await as(email, "/administration/adgangslog")));
      expect(refused.status, email).toBe(403);
    }
  });
});
