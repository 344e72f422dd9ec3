import type { Check } from "./checks";

export const studioChecks: Check[] = [];
