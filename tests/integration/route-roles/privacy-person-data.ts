import { adminsOnly, ownMunicipalityOnly, personas, signedIn, type Check } from "./checks";
import { userIdByEmail } from "../../utils/requests";

/** Demo Kommune's learner, whose data only Demo Kommune's admin may see. */
const learnerId = () => String(userIdByEmail(personas.learner));

/** "Mine data" for everyone signed in, the admin's person page and files, and the access log. */
export const personDataChecks: Check[] = [
  { route: "mine-data.tsx", method: "loader", url: () => "/mine-data", expected: signedIn(200) },
  { route: "mine-data[.]json.ts", method: "loader", url: () => "/mine-data.json", expected: signedIn(200) },
  { route: "mine-data[.]pdf.ts", method: "loader", url: () => "/mine-data.pdf", expected: signedIn(200) },
  ...[
    ["_index.tsx", ""],
    ["data[.]json.ts", "/data.json"],
    ["data[.]pdf.ts", "/data.pdf"],
  ].map(([file, suffix]): Check => ({
    route: `administration.personer.$userId.${file}`,
    method: "loader",
    url: () => `/administration/personer/${learnerId()}${suffix}`,
    params: () => ({ userId: learnerId() }),
    expected: ownMunicipalityOnly,
  })),
  {
    route: "administration.adgangslog.tsx",
    method: "loader",
    url: () => "/administration/adgangslog",
    expected: adminsOnly,
  },
  {
    route: "administration.adgangslog.tsx",
    method: "loader",
    url: () => "/administration/adgangslog?organisation=1&action=exportPeople&from=2026-01-01",
    expected: ownMunicipalityOnly,
  },
  {
    route: "administration.adgangslog[.]csv.ts",
    method: "loader",
    url: () => "/administration/adgangslog.csv",
    expected: adminsOnly,
  },
  {
    route: "administration.adgangslog[.]csv.ts",
    method: "loader",
    url: () => "/administration/adgangslog.csv?organisation=1",
    expected: ownMunicipalityOnly,
  },
];
