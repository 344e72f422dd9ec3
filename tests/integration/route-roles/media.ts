import { eq } from "drizzle-orm";
import { modules } from "#db/schema";
import { db } from "~/db.server";
import { MODULE, ownerOnly, type Check } from "./checks";

const moduleId = () => String(db.select({ id: modules.id }).from(modules).where(eq(modules.slug, MODULE)).get()!.id);

// A plain form post carries no file, so even the owner is answered 415: uploads are multipart only.
const uploadRefused = { ...ownerOnly, owner: 415 };

export const mediaChecks: Check[] = [
  {
    route: "ejer.studie.moduler.$moduleId.film.tsx",
    method: "loader",
    url: () => `/ejer/studie/moduler/${moduleId()}/film`,
    params: () => ({ moduleId: moduleId() }),
    expected: ownerOnly,
  },
  {
    route: "ejer.studie.moduler.$moduleId.film.tsx",
    method: "action",
    url: () => `/ejer/studie/moduler/${moduleId()}/film`,
    params: () => ({ moduleId: moduleId() }),
    form: () => ({ intent: "film" }),
    expected: uploadRefused,
  },
  {
    route: "ejer.studie.moduler.$moduleId.film.overfoersel.ts",
    method: "action",
    url: () => `/ejer/studie/moduler/${moduleId()}/film/overfoersel`,
    params: () => ({ moduleId: moduleId() }),
    form: () => ({ intent: "film" }),
    expected: uploadRefused,
  },
  {
    route: "ejer.studie.moduler.$moduleId.film.dele.ts",
    method: "action",
    url: () => `/ejer/studie/moduler/${moduleId()}/film/dele?trin=start`,
    params: () => ({ moduleId: moduleId() }),
    form: () => ({ filmName: "film.mp4", filmSize: "1000" }),
    expected: uploadRefused,
  },
];
