import { eq } from "drizzle-orm";
import { modules } from "#db/schema";
import { db } from "~/db.server";
import { MODULE, all, ownerOnly, type Check } from "./checks";

const moduleId = () => String(db.select({ id: modules.id }).from(modules).where(eq(modules.slug, MODULE)).get()!.id);

export const accessibilityChecks: Check[] = [
  // The statement is public: a municipality links to it, and a person who cannot sign in must read it.
  { route: "tilgaengelighed.tsx", method: "loader", url: () => "/tilgaengelighed", expected: all(200) },
  {
    // The described soundtrack goes to the film page's own action; a plain form carries no file, so
    // even the owner is answered 415, and everyone else 404 as for the film.
    route: "ejer.studie.moduler.$moduleId.film.tsx",
    method: "action",
    url: () => `/ejer/studie/moduler/${moduleId()}/film`,
    params: () => ({ moduleId: moduleId() }),
    form: () => ({ intent: "described" }),
    expected: { ...ownerOnly, owner: 415 },
  },
];
