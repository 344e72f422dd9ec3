import { sql } from "drizzle-orm";
import { courseRestarts, moduleProgress, moduleProgressArchive, modules, quizAttempts } from "#db/schema";
import type { Tx } from "~/db.server";

/**
 * Starts a person's course again from the beginning for a refresher round, inside the caller's
 * transaction (the one that opens the round), so the round and the restart happen together or not
 * at all. The restart notes the person's highest quiz attempt id: attempts up to it belong to
 * earlier rounds (inCurrentRound in ~/learning/completion.server), so the quizzes must be passed
 * again with a fresh attempt limit. The viewing of every module of the course is archived and the
 * live row reset, so the films can be watched and credited again; updated_at stays, because it is
 * when the person was last active. Certificates are untouched: each round gets its own.
 * Returns false when the round was already restarted (another process got there first).
 */
export function restartCourse(tx: Tx, userId: number, courseId: number, cycleId: number, now = new Date()): boolean {
  const restart = tx.run(sql`
    insert into ${courseRestarts} (user_id, course_id, cycle_id, restarted_at, after_attempt_id)
    select ${userId}, ${courseId}, ${cycleId}, ${now.getTime()}, coalesce(max(${quizAttempts.id}), 0)
    from ${quizAttempts} where ${quizAttempts.userId} = ${userId}
    on conflict (cycle_id) do nothing
  `);
  if (restart.changes !== 1) return false;
  const restartId = Number(restart.lastInsertRowid);
  const courseModules = sql`(select ${modules.id} from ${modules} where ${modules.courseId} = ${courseId})`;

  tx.run(sql`
    insert into ${moduleProgressArchive} (restart_id, module_id, user_id, played_ranges, played_ms, watched_at, updated_at)
    select ${restartId}, module_id, user_id, played_ranges, played_ms, watched_at, updated_at from ${moduleProgress}
    where user_id = ${userId} and module_id in ${courseModules}
  `);
  tx.run(sql`
    update ${moduleProgress} set played_ranges = '[]', played_ms = 0, last_position_ms = 0, watched_at = null
    where user_id = ${userId} and module_id in ${courseModules}
  `);
  return true;
}
