import { randomUUID } from "node:crypto";
import { applyDiscount, withVat } from "~/billing/money";
import type { OioublInvoice } from "~/billing/oioubl-invoice.server";
import { demoMunicipality, demoOrganisations, neighbourMunicipality } from "~/cli/seed/accounts";
import { pilotDiscount, pilotPlan } from "~/cli/seed/plans";
import { danishDate } from "~/i18n/dates";

/** A seeded municipality as the order form fills it in, its admin as the person reference. */
function orderFieldsOf(municipality: (typeof demoOrganisations)[number], organisationId: number) {
  const admin = municipality.people.find((person) => person.role === "admin");
  if (!admin) throw new Error(`${municipality.name} has no admin in the seed`);
  return {
    organisationId: String(organisationId),
    cvr: municipality.cvr,
    ...municipality.address,
    ean: municipality.ean.ean,
    personReference: admin.name,
  };
}

export const demoKommune = orderFieldsOf(demoMunicipality, demoOrganisations.indexOf(demoMunicipality) + 1);
export const naboKommune = orderFieldsOf(neighbourMunicipality, demoOrganisations.indexOf(neighbourMunicipality) + 1);

/** The pilot order of issue 3's "done when" as the order form posts it: Demo Kommune, the pilot plan and its code. */
export function pilotOrderFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    intent: "place",
    kind: "new",
    planSlug: pilotPlan.slug,
    startsOn: danishDate(),
    discountCode: pilotDiscount.code,
    ...demoKommune,
    orderReference: "PO-4711",
    requestKey: randomUUID(),
    acceptTerms: "on",
    ...overrides,
  };
}

/** The pilot invoice as a document: 100 seats at 75 % off 2,399 kr., 59,975.00 + 14,993.75 = 74,968.75 kr. */
export function pilotInvoice(): OioublInvoice {
  const net = applyDiscount(23_990_000, 75);
  const { vat, gross } = withVat(net);
  return {
    number: "2026-0001",
    issueDate: "2026-12-01",
    dueDate: "2026-12-31",
    orderReference: "IND-2026-0042",
    orderDate: "2026-11-20",
    note: "Listepris 239.900,00 kr. med 75 % pilotrabat",
    seller: {
      name: "Rettidig ApS",
      cvr: "55133018",
      streetName: "Vesterbrogade",
      buildingNumber: "12",
      postalCode: "1620",
      city: "København V",
      countryCode: "DK",
      email: "faktura@rettidig.dk",
      phone: "+45 70 20 30 40",
      contactName: "Bogholderiet",
      bankRegNo: "1234",
      bankAccountNo: "1234567890",
    },
    buyer: {
      name: "Demo Kommune",
      cvr: "29181004",
      streetName: "Rådhuspladsen",
      buildingNumber: "1",
      postalCode: "8000",
      city: "Aarhus C",
      countryCode: "DK",
      ean: "5798000123458",
      personReference: "Hanne Berg",
      contactEmail: "hanne.berg@demo.dk",
    },
    lines: [
      {
        id: "1",
        description: "Rettidig pilotlicens: 100 pladser i 12 måneder (1. januar – 31. december 2027)",
        name: "Rettidig pilotlicens",
        quantity: 100,
        unitCode: "EA",
        unitPriceOre: 59_975,
        lineNetOre: net,
        period: { start: "2027-01-01", end: "2027-12-31" },
      },
    ],
    totals: { netOre: net, vatOre: vat, grossOre: gross },
  };
}
