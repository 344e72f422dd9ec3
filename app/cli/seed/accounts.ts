import type { MembershipRole, UnitKind } from "#db/schema";

/** The one password of every demo account; README shows it beside them. */
export const DEMO_PASSWORD = "Rettidig-demo-2026";

/** The demo accounts by what they are for; README lists them, and tests sign in as them. */
export const demoEmails = {
  learner: "medarbejder@demo-kommune.dk",
  leader: "leder@demo-kommune.dk",
  healthVisitor: "sundhedsplejerske@demo-kommune.dk",
  admin: "admin@demo-kommune.dk",
  owner: "ejer@rettidig.dk",
  neighbourLearner: "medarbejder@nabo-kommune.dk",
  neighbourAdmin: "admin@nabo-kommune.dk",
};

type SeedOrganisation = {
  slug: string;
  name: string;
  cvr: string;
  ean: { ean: string; label: string };
  address: { streetName: string; buildingNumber: string; postalCode: string; city: string; invoiceEmail: string };
  domains: string[];
  units: { name: string; kind: UnitKind }[];
  /** Whether the municipality holds the pilot licence, with a seat for each of its people. */
  holdsPilotLicence: boolean;
  people: { email: string; name: string; role: MembershipRole; unit?: string }[];
};

export const demoMunicipality = {
  slug: "demo-kommune",
  name: "Demo Kommune",
  cvr: "29181004",
  ean: { ean: "5798000123458", label: "Børne- og Ungeforvaltningen" },
  address: {
    streetName: "Rådhustorvet",
    buildingNumber: "1",
    postalCode: "7100",
    city: "Vejle",
    invoiceEmail: "faktura@demo-kommune.dk",
  },
  domains: ["demo-kommune.dk"],
  units: [
    { name: "Børne- og Ungeforvaltningen", kind: "forvaltning" },
    { name: "Skovbrynets Børnehus", kind: "institution" },
    { name: "Sundhedsplejen", kind: "afdeling" },
  ],
  holdsPilotLicence: true,
  people: [
    { email: demoEmails.learner, name: "Sofie Nørgaard", role: "learner", unit: "Skovbrynets Børnehus" },
    { email: demoEmails.leader, name: "Lars Holm", role: "leader", unit: "Skovbrynets Børnehus" },
    { email: demoEmails.healthVisitor, name: "Mette Dahl", role: "learner", unit: "Sundhedsplejen" },
    { email: demoEmails.admin, name: "Hanne Berg", role: "admin", unit: "Børne- og Ungeforvaltningen" },
  ],
} satisfies SeedOrganisation;

/** A second municipality without a licence, so access rules have someone to refuse. */
export const neighbourMunicipality = {
  slug: "nabo-kommune",
  name: "Nabo Kommune",
  cvr: "37461008",
  ean: { ean: "5798000543218", label: "Skole og Dagtilbud" },
  address: {
    streetName: "Torvegade",
    buildingNumber: "10",
    postalCode: "5700",
    city: "Svendborg",
    invoiceEmail: "faktura@nabo-kommune.dk",
  },
  domains: ["nabo-kommune.dk"],
  units: [{ name: "Skole og Dagtilbud", kind: "forvaltning" }],
  holdsPilotLicence: false,
  people: [
    { email: demoEmails.neighbourLearner, name: "Jens Vestergaard", role: "learner" },
    { email: demoEmails.neighbourAdmin, name: "Mona Lykke", role: "admin" },
  ],
} satisfies SeedOrganisation;

/** In the order they are seeded, so Demo Kommune gets id 1 and Nabo Kommune id 2. */
export const demoOrganisations: SeedOrganisation[] = [demoMunicipality, neighbourMunicipality];

export const demoOwner = { email: demoEmails.owner, name: "Karen Lund" };
