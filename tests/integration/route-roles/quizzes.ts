import type { Check } from "./checks";

export const quizChecks: Check[] = [];
