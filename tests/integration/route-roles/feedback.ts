import type { Check } from "./checks";

export const feedbackChecks: Check[] = [];
