import { certificates } from "#db/schema";
import { db } from "~/db.server";
import { all, COURSE, type Check } from "./checks";

// No one here has completed a course; the certificate behind the real code belongs to no account,
// as after its holder was deleted, so it gives none of the people walking the routes a certificate.
const REAL_CODE = "KVTB2345MNPQ";
function realCode(): string {
  db.insert(certificates)
    .values({
      code: REAL_CODE,
      recipientName: "Tidligere Medarbejder",
      courseTitle: "Unges egne fortællinger",
      organisationName: "Demo Kommune",
      minutes: 45,
      completedOn: "2026-01-08",
      issuedAt: new Date("2026-01-08T10:00:00Z"),
    })
    .onConflictDoNothing()
    .run();
  return "kvtb-2345-mnpq";
}

export const certificateChecks: Check[] = [
  {
    route: "kurser.$courseSlug.kursusbevis[.]pdf.ts",
    method: "loader",
    url: () => `/kurser/${COURSE}/kursusbevis.pdf`,
    params: () => ({ courseSlug: COURSE }),
    // A download without a page: whoever has no certificate to fetch is sent to the course page, which
    // says why (not completed; the owner, who has it without a seat, never gets one) or answers 403.
    expected: { ...all(303), anonymous: 302 },
  },
  {
    route: "bevis.$code.tsx",
    method: "loader",
    url: () => "/bevis/2345-6789-ABCD",
    params: () => ({ code: "2345-6789-ABCD" }),
    expected: all(404),
  },
  {
    route: "bevis.$code.tsx",
    method: "loader",
    url: () => `/bevis/${realCode()}`,
    params: () => ({ code: realCode() }),
    expected: all(200),
  },
];
