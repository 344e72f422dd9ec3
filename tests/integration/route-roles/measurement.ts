import { course, COURSE, ownerOnly, type Check } from "./checks";

const builder = "/ejer/studie/kurser/4/maaling";
const page = `/kurser/${COURSE}/maaling?tidspunkt=foer`;

export const measurementChecks: Check[] = [
  {
    route: "kurser.$courseSlug.maaling/route.tsx",
    method: "loader",
    url: () => page,
    params: () => ({ courseSlug: COURSE }),
    expected: course,
  },
  {
    // Nothing is switched on here, so those who may see the course are told so (404); a
    // municipality without the course is refused as for every course page.
    route: "kurser.$courseSlug.maaling/route.tsx",
    method: "action",
    url: () => page,
    params: () => ({ courseSlug: COURSE }),
    form: () => ({ intent: "skip" }),
    expected: { anonymous: 302, learner: 404, leader: 404, admin: 404, otherAdmin: 403, owner: 404 },
  },
  {
    route: "ejer.studie.kurser.$courseId.maaling/route.tsx",
    method: "loader",
    url: () => builder,
    params: () => ({ courseId: "4" }),
    expected: ownerOnly,
  },
  {
    // Saved switched off (no "active"), so the checks after this one still find nothing to answer.
    route: "ejer.studie.kurser.$courseId.maaling/route.tsx",
    method: "action",
    url: () => builder,
    params: () => ({ courseId: "4" }),
    form: () => ({ intent: "settings", intro: "", followUpWeeks: "12" }),
    expected: ownerOnly,
  },
];
