import { professions, type Profession } from "#db/schema";
import type { MessageKey } from "~/i18n/da";

export { professions, type Profession };

export const professionLabels: Record<Profession, MessageKey> = {
  teacher: "profession.teacher",
  pedagogue: "profession.pedagogue",
  healthVisitor: "profession.healthVisitor",
  dentalStaff: "profession.dentalStaff",
  socialWorker: "profession.socialWorker",
  psychologist: "profession.psychologist",
  other: "profession.other",
};
