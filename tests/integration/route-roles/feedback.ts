import { adminsOnly, course, COURSE, ownerOnly, ownMunicipalityOnly, type Check } from "./checks";

const builder = "/ejer/studie/kurser/4/feedback/ledere";

export const feedbackChecks: Check[] = [
  {
    route: "kurser.$courseSlug.feedback/route.tsx",
    method: "loader",
    url: () => `/kurser/${COURSE}/feedback`,
    params: () => ({ courseSlug: COURSE }),
    expected: course,
  },
  {
    // An empty response: those who may answer get past every access check to the validation.
    route: "kurser.$courseSlug.feedback/route.tsx",
    method: "action",
    url: () => `/kurser/${COURSE}/feedback`,
    params: () => ({ courseSlug: COURSE }),
    form: () => ({ intent: "respond" }),
    expected: { anonymous: 302, learner: 400, leader: 400, admin: 400, otherAdmin: 403, owner: 403 },
  },
  {
    route: "ejer.studie.kurser.$courseId.feedback.$audience/route.tsx",
    method: "loader",
    url: () => builder,
    params: () => ({ courseId: "4", audience: "ledere" }),
    expected: ownerOnly,
  },
  {
    route: "ejer.studie.kurser.$courseId.feedback.$audience/route.tsx",
    method: "action",
    url: () => builder,
    params: () => ({ courseId: "4", audience: "ledere" }),
    form: () => ({
      title: "Ledernes feedback",
      anonymous: "yes",
      opensOn: "2026-01-01",
      "questions[0].kind": "text",
      "questions[0].text": "Hvad tager du med?",
    }),
    expected: ownerOnly,
  },
  { route: "ejer.feedback._index.tsx", method: "loader", url: () => "/ejer/feedback", expected: ownerOnly },
  { route: "ejer.feedback.svar[.]csv.ts", method: "loader", url: () => "/ejer/feedback/svar.csv", expected: ownerOnly },
  {
    route: "administration.feedback.tsx",
    method: "loader",
    url: () => "/administration/feedback",
    expected: adminsOnly,
  },
  {
    route: "administration.feedback.tsx",
    method: "loader",
    url: () => "/administration/feedback?organisation=1",
    expected: ownMunicipalityOnly,
  },
];
