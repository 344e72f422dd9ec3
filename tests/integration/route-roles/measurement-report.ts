import { eq } from "drizzle-orm";
import { measurements } from "#db/schema";
import { db } from "~/db.server";
import { courseIdOf } from "../../utils/feedback";
import { seedMeasurement } from "../../utils/measurement-seed";
import { adminsOnly, COURSE, ownerOnly, ownMunicipalityOnly, type Check } from "./checks";

/** The course's measurement, made once if the seed has none, so the files have a course to be about. */
function measuredCourse() {
  const courseId = courseIdOf(COURSE);
  if (!db.select().from(measurements).where(eq(measurements.courseId, courseId)).get())
    seedMeasurement(courseId, [{ text: "Jeg ved, hvad jeg skal gøre, hvis jeg er bekymret for et barn" }]);
  return courseId;
}

export const measurementReportChecks: Check[] = [
  { route: "ejer.maaling._index.tsx", method: "loader", url: () => "/ejer/maaling", expected: ownerOnly },
  {
    route: "ejer.maaling.tal[.]csv.ts",
    method: "loader",
    url: () => `/ejer/maaling/tal.csv?kursus=${measuredCourse()}`,
    expected: ownerOnly,
  },
  {
    route: "ejer.maaling.par[.]csv.ts",
    method: "loader",
    url: () => `/ejer/maaling/par.csv?kursus=${measuredCourse()}`,
    expected: ownerOnly,
  },
  {
    route: "administration.maaling._index.tsx",
    method: "loader",
    url: () => "/administration/maaling",
    expected: adminsOnly,
  },
  {
    route: "administration.maaling._index.tsx",
    method: "loader",
    url: () => "/administration/maaling?organisation=1",
    expected: ownMunicipalityOnly,
  },
  {
    route: "administration.maaling.tal[.]csv.ts",
    method: "loader",
    url: () => `/administration/maaling/tal.csv?kursus=${measuredCourse()}`,
    expected: adminsOnly,
  },
  {
    route: "administration.maaling.tal[.]csv.ts",
    method: "loader",
    url: () => `/administration/maaling/tal.csv?organisation=1&kursus=${measuredCourse()}`,
    expected: ownMunicipalityOnly,
  },
];
