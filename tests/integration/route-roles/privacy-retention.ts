import { adminsOnly, ownMunicipalityOnly, type Check } from "./checks";

const settings = "administration.databeskyttelse.tsx";
const annex = "administration.databehandling.tsx";
const annexPdf = "administration.databehandling[.]pdf.ts";

export const privacyRetentionChecks: Check[] = [
  { route: settings, method: "loader", url: () => "/administration/databeskyttelse", expected: adminsOnly },
  {
    route: settings,
    method: "loader",
    url: () => "/administration/databeskyttelse?organisation=1",
    expected: ownMunicipalityOnly,
  },
  {
    // The defaults, written down: the checks after this one see the same policy as seeded.
    route: settings,
    method: "action",
    url: () => "/administration/databeskyttelse",
    form: () => ({ organisationId: "1", retentionMonths: "12", unlistGraceDays: "30" }),
    expected: ownMunicipalityOnly,
  },
  { route: annex, method: "loader", url: () => "/administration/databehandling", expected: adminsOnly },
  {
    route: annex,
    method: "loader",
    url: () => "/administration/databehandling?organisation=1",
    expected: ownMunicipalityOnly,
  },
  { route: annexPdf, method: "loader", url: () => "/administration/databehandling.pdf", expected: adminsOnly },
  {
    route: annexPdf,
    method: "loader",
    url: () => "/administration/databehandling.pdf?organisation=1",
    expected: ownMunicipalityOnly,
  },
];
