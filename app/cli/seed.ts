import { seedDatabase } from "~/cli/seed/seed-database";
import { runCommand, withMigratedDatabase } from "~/cli/command";

runCommand(async () => {
  await withMigratedDatabase(seedDatabase);
  console.log("Demodata er på plads (kurser, film, Demo Kommune, Nabo Kommune og demokonti).");
  return 0;
}, "Fejl under indlæsning af demodata");
