import { randomUUID } from "node:crypto";
import { applyDiscount, withVat } from "~/billing/money";
import type { OioublInvoice } from "~/billing/oioubl-invoice.server";
import { danishDate } from "~/i18n/dates";

/** The seeded municipalities as the order form fills them in. */
export const demoKommune = {
  organisationId: "1",
  cvr: "29181004",
  streetName: "Rådhustorvet",
  buildingNumber: "1",
  postalCode: "7100",
  city: "Vejle",
  invoiceEmail: "faktura@demo-kommune.dk",
  ean: "5798000123458",
  personReference: "Hanne Berg",
};

export const naboKommune = {
  organisationId: "2",
  cvr: "37461008",
  streetName: "Torvegade",
  buildingNumber: "10",
  postalCode: "5700",
  city: "Svendborg",
  invoiceEmail: "faktura@nabo-kommune.dk",
  ean: "5798000543218",
  personReference: "Mona Lykke",
};

/** The pilot order of issue 3's "done when" as the order form posts it: Demo Kommune, the pilot plan and its code. */
export function pilotOrderFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    intent: "place",
    kind: "new",
    planSlug: "pilot-100-12",
    startsOn: danishDate(),
    discountCode: "PILOT2026",
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
