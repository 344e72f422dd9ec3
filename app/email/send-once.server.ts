import { recordMailFailure } from "./mail-failures.server";

/**
 * Sends a mail at most once, also with two processes running the same job: `claim` writes the
 * row that says it was sent (an INSERT … ON CONFLICT DO NOTHING) and answers whether this call
 * wrote it; only then is the mail sent. If sending fails, `release` takes the claim back so the
 * next run tries again, and the failure is logged rather than thrown, so one mail that cannot be
 * sent never stops the others. Never call it inside a transaction: the claim must be visible to
 * other processes before the mail goes. True when this call sent it.
 */
export async function sendOnce({
  claim,
  release,
  send,
}: {
  claim: () => boolean;
  release: () => void;
  send: () => Promise<void>;
}): Promise<boolean> {
  if (!claim()) return false;
  try {
    await send();
    return true;
  } catch (error) {
    release();
    recordMailFailure("reminder");
    console.error("En påmindelse kunne ikke sendes; den prøves igen ved næste kørsel:", error);
    return false;
  }
}
