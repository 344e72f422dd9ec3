import { ownerOnly, type Check } from "./checks";

/** The owner's retention curve of the first seeded film, whole and narrowed to a municipality and a profession. */
export const retentionChecks: Check[] = [
  {
    route: "ejer.statistik_.film.$moduleId.tsx",
    method: "loader",
    url: () => "/ejer/statistik/film/1",
    params: () => ({ moduleId: "1" }),
    expected: ownerOnly,
  },
  {
    route: "ejer.statistik_.film.$moduleId.tsx",
    method: "loader",
    url: () => "/ejer/statistik/film/1?kommune=1&faggruppe=pedagogue",
    params: () => ({ moduleId: "1" }),
    expected: ownerOnly,
  },
];
