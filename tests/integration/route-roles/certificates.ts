import type { Check } from "./checks";

export const certificateChecks: Check[] = [];
