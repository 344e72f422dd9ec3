import { adminsOnly, ownMunicipalityOnly, signedIn, type Check } from "./checks";

const settings = "administration.obligatorisk.paamindelser.tsx";

export const trainingReminderChecks: Check[] = [
  { route: settings, method: "loader", url: () => "/administration/obligatorisk/paamindelser", expected: adminsOnly },
  {
    route: settings,
    method: "loader",
    url: () => "/administration/obligatorisk/paamindelser?organisation=1",
    expected: ownMunicipalityOnly,
  },
  {
    // Everything stays switched on, so the checks after this one see Demo Kommune as seeded.
    route: settings,
    method: "action",
    url: () => "/administration/obligatorisk/paamindelser",
    form: () => ({ organisationId: "1", learnerReminders: "on", leaderDigest: "on", adminSummary: "on" }),
    expected: ownMunicipalityOnly,
  },
  { route: "kurser.frister[.]ics.ts", method: "loader", url: () => "/kurser/frister.ics", expected: signedIn(200) },
];
