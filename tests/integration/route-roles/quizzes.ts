import { eq } from "drizzle-orm";
import { modules } from "#db/schema";
import { db } from "~/db.server";
import { all, course, COURSE, MODULE, ownerOnly, type Check } from "./checks";

const moduleId = () => String(db.select({ id: modules.id }).from(modules).where(eq(modules.slug, MODULE)).get()!.id);
const quizUrl = `/kurser/${COURSE}/${MODULE}/quiz`;

export const quizChecks: Check[] = [
  {
    route: "kurser.$courseSlug.$moduleSlug.quiz.tsx",
    method: "loader",
    url: () => quizUrl,
    params: () => ({ courseSlug: COURSE, moduleSlug: MODULE }),
    expected: course,
  },
  // No one has watched the film, so everyone with access to the course is told the quiz is not open yet.
  {
    route: "kurser.$courseSlug.$moduleSlug.quiz.tsx",
    method: "action",
    url: () => quizUrl,
    params: () => ({ courseSlug: COURSE, moduleSlug: MODULE }),
    form: () => ({ intent: "attempt" }),
    expected: { ...all(409), anonymous: 302, otherAdmin: 403 },
  },
  {
    route: "ejer.studie.moduler.$moduleId.quiz/route.tsx",
    method: "loader",
    url: () => `/ejer/studie/moduler/${moduleId()}/quiz`,
    params: () => ({ moduleId: moduleId() }),
    expected: ownerOnly,
  },
  // A pass mark of 140 % is refused, so the owner's answer (400) leaves the demo quiz as it was.
  {
    route: "ejer.studie.moduler.$moduleId.quiz/route.tsx",
    method: "action",
    url: () => `/ejer/studie/moduler/${moduleId()}/quiz`,
    params: () => ({ moduleId: moduleId() }),
    form: () => ({ passPercent: "140", maxAttempts: "" }),
    expected: { ...ownerOnly, owner: 400 },
  },
  { route: "ejer.statistik.tsx", method: "loader", url: () => "/ejer/statistik", expected: ownerOnly },
];
