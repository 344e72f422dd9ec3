import { z } from "zod";
import { recordId } from "~/utils/form-schema";

/** "Send påmindelse" beside one overdue person on the overview: one button, the round it names. */
export const remindOverdueSchema = z.object({
  intent: z.literal("remind"),
  cycleId: recordId,
});
