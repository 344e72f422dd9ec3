import { z } from "zod";
import { requiredText } from "~/utils/form-schema";

/** The admin types the person's name or e-mail address, so nobody is erased by a slip of the mouse. */
export const eraseSchema = z.object({
  confirmation: requiredText(254, "erasure.confirmationTooLong"),
});

/** Whether what was typed names the person: the name or the address, ignoring case and spacing. */
export function confirmsPerson(typed: string, person: { name: string; email: string }): boolean {
  const plain = (text: string) => text.trim().replace(/\s+/g, " ").toLocaleLowerCase("da");
  const said = plain(typed);
  return said !== "" && (said === plain(person.name) || said === plain(person.email));
}
