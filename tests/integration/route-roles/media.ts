import type { Check } from "./checks";

export const mediaChecks: Check[] = [];
