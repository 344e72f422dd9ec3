/** The pilot offer from the brief: 100 seats for 12 months at a list price of 239,900 kr. excl. VAT. */
export const pilotPlan = {
  slug: "pilot-100-12",
  name: "Pilotlicens: 100 medarbejdere i 12 måneder",
  summary:
    "Alle fire kurser for 100 medarbejdere i et år. Pilotkommuner får 75 % rabat mod at give feedback fra medarbejdere og ledere.",
  seatCount: 100,
  periodMonths: 12,
  listPriceOre: 23_990_000,
};

/** A larger licence at the same price a seat, so the price page has a choice. */
export const municipalPlan = {
  slug: "kommune-250-12",
  name: "Kommunelicens: 250 medarbejdere i 12 måneder",
  summary: "Alle fire kurser for 250 medarbejdere i et år, til hele forvaltningen eller flere institutioner.",
  seatCount: 250,
  periodMonths: 12,
  listPriceOre: 59_975_000,
};

/** The code pilot municipalities enter when they order: 75 % off the pilot plan. */
export const pilotDiscount = { code: "PILOT2026", label: "Pilotaftale: 75 % rabat", percentBasisPoints: 7500 };
