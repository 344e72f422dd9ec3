import { adminsOnly, ownMunicipalityOnly, type Check } from "./checks";

const overview = "/administration/obligatorisk/overblik";
const leaderOverview = "/leder/obligatorisk/overblik";
// No round has this id: whoever gets past the guards is told it does not exist, and nothing is sent.
const remindNoRound = () => ({ intent: "remind", cycleId: "999999" });

export const trainingComplianceChecks: Check[] = [
  {
    route: "administration.obligatorisk.overblik/route.tsx",
    method: "loader",
    url: () => overview,
    expected: adminsOnly,
  },
  {
    route: "administration.obligatorisk.overblik/route.tsx",
    method: "loader",
    url: () => `${overview}?organisation=1`,
    expected: ownMunicipalityOnly,
  },
  {
    route: "administration.obligatorisk.overblik/route.tsx",
    method: "action",
    url: () => overview,
    form: remindNoRound,
    expected: { anonymous: 302, learner: 403, leader: 403, admin: 404, otherAdmin: 404, owner: 403 },
  },
  {
    route: "administration.obligatorisk.overblik[.]csv.ts",
    method: "loader",
    url: () => `${overview}.csv?organisation=1`,
    expected: { anonymous: 302, learner: 404, leader: 200, admin: 200, otherAdmin: 404, owner: 404 },
  },
  {
    route: "leder_.obligatorisk_.overblik/route.tsx",
    method: "loader",
    url: () => leaderOverview,
    expected: { anonymous: 302, learner: 403, leader: 200, admin: 403, otherAdmin: 403, owner: 403 },
  },
  {
    route: "leder_.obligatorisk_.overblik/route.tsx",
    method: "action",
    url: () => leaderOverview,
    form: remindNoRound,
    expected: { anonymous: 302, learner: 403, leader: 404, admin: 403, otherAdmin: 403, owner: 403 },
  },
];
