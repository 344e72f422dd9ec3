import { and, eq } from "drizzle-orm";
import { moduleProgress, modules } from "#db/schema";
import { demoEmails } from "~/cli/seed/accounts";
import { db } from "~/db.server";
import { openPlaybackView, recordProgress, type RecordResult } from "~/learning/progress.server";
import { userIdByEmail } from "../utils/requests";
import { dumpTables } from "../utils/table-dump";

const DURATION = 40;

function freshModule(slug: string) {
  const row = db.select({ id: modules.id }).from(modules).where(eq(modules.slug, slug)).get();
  if (!row) throw new Error("seeded module missing");
  db.update(modules).set({ durationSeconds: DURATION }).where(eq(modules.id, row.id)).run();
  return row.id;
}

const learner = () => userIdByEmail(demoEmails.learner);

/** A report the server took: the test fails on any other answer before it looks at the progress. */
function accepted(result: RecordResult) {
  expect(result.status).toBe("ok");
  if (result.status !== "ok") throw new Error(`the report was refused: ${result.status}`);
  return result;
}
const at = (opened: Date, seconds: number) => new Date(opened.getTime() + seconds * 1000);

function storedProgress(userId: number, moduleId: number) {
  return db
    .select()
    .from(moduleProgress)
    .where(and(eq(moduleProgress.userId, userId), eq(moduleProgress.moduleId, moduleId)))
    .get();
}

describe("recording what was played", () => {
  it("does not count a film as watched after playing half and seeking to the end", () => {
    const userId = learner();
    const moduleId = freshModule("sofie-ingen-spurgte-til-mig");
    const opened = new Date("2026-01-05T09:00:00Z");
    const viewId = openPlaybackView(userId, moduleId, opened);

    accepted(recordProgress(userId, { viewId, ranges: [[0, 20]], positionSeconds: 20, ended: false }, at(opened, 21)));
    // The seek to 38 s and the last two seconds of play are all the player can honestly report.
    const result = recordProgress(
      userId,
      {
        viewId,
        ranges: [
          [0, 20],
          [38, 40],
        ],
        positionSeconds: 40,
        ended: true,
      },
      at(opened, 24),
    );

    expect(accepted(result).progress.playedSeconds).toBeCloseTo(22, 5);
    expect(accepted(result).progress.watched).toBe(false);
    expect(storedProgress(userId, moduleId)?.watchedAt).toBeNull();
  });

  it("counts a film as watched once 90 % has been played", () => {
    const userId = learner();
    const moduleId = freshModule("mikkel-den-stille-dreng-bagerst");
    const opened = new Date("2026-01-05T10:00:00Z");
    const viewId = openPlaybackView(userId, moduleId, opened);

    // 35.9 of 40 s is 89.75 %: played in full and credited in full, but not yet watched.
    const almost = accepted(
      recordProgress(userId, { viewId, ranges: [[0, 35.9]], positionSeconds: 35.9, ended: false }, at(opened, 37)),
    );
    expect(almost.acceptedSeconds).toBeCloseTo(35.9, 5);
    expect(almost.progress.watched).toBe(false);
    expect(almost.becameWatched).toBe(false);
    expect(storedProgress(userId, moduleId)?.watchedAt).toBeNull();

    const enough = accepted(
      recordProgress(userId, { viewId, ranges: [[0, 36]], positionSeconds: 36, ended: false }, at(opened, 38)),
    );
    expect(enough.progress.watched).toBe(true);
    expect(enough.becameWatched).toBe(true);
    expect(storedProgress(userId, moduleId)?.watchedAt).toBeInstanceOf(Date);

    // Watched once is watched: the next report does not make it so again.
    const later = accepted(
      recordProgress(userId, { viewId, ranges: [[0, 40]], positionSeconds: 40, ended: true }, at(opened, 42)),
    );
    expect(later.progress.watched).toBe(true);
    expect(later.becameWatched).toBe(false);
  });

  it("says which report credited the film's first seconds, so a round is marked as begun once", () => {
    const userId = learner();
    const moduleId = freshModule("amira-vi-flyttede-hele-tiden");
    const opened = new Date("2026-01-05T10:00:00Z");
    const viewId = openPlaybackView(userId, moduleId, opened);

    const nothingYet = accepted(
      recordProgress(userId, { viewId, ranges: [], positionSeconds: 0, ended: false }, at(opened, 1)),
    );
    expect(nothingYet.firstProgress).toBe(false);
    const first = accepted(
      recordProgress(userId, { viewId, ranges: [[0, 5]], positionSeconds: 5, ended: false }, at(opened, 6)),
    );
    expect(first.acceptedSeconds).toBeCloseTo(5, 5);
    expect(first.firstProgress).toBe(true);
    const next = accepted(
      recordProgress(userId, { viewId, ranges: [[5, 10]], positionSeconds: 10, ended: false }, at(opened, 11)),
    );
    expect(next.acceptedSeconds).toBeCloseTo(5, 5);
    expect(next.firstProgress).toBe(false);
  });

  it("merges overlapping, repeated and out-of-order reports across views", () => {
    const userId = learner();
    const moduleId = freshModule("amira-vi-flyttede-hele-tiden");
    const opened = new Date("2026-01-06T08:00:00Z");
    const first = openPlaybackView(userId, moduleId, opened);
    accepted(
      recordProgress(
        userId,
        {
          viewId: first,
          ranges: [
            [10, 20],
            [0, 5],
          ],
          positionSeconds: 20,
          ended: false,
        },
        at(opened, 30),
      ),
    );
    accepted(
      recordProgress(
        userId,
        {
          viewId: first,
          ranges: [
            [0, 5],
            [10, 20],
          ],
          positionSeconds: 20,
          ended: false,
        },
        at(opened, 31),
      ),
    );

    const second = openPlaybackView(userId, moduleId, at(opened, 100));
    const result = accepted(
      recordProgress(userId, { viewId: second, ranges: [[4, 12]], positionSeconds: 12, ended: false }, at(opened, 110)),
    );

    expect(result.progress.playedSeconds).toBeCloseTo(20, 5);
    expect(JSON.parse(storedProgress(userId, moduleId)?.playedRanges ?? "[]")).toEqual([[0, 20]]);
  });

  it("does not believe ranges that claim more playing time than has passed since the film was opened", () => {
    const userId = learner();
    const moduleId = freshModule("jonas-paedagogen-der-blev-ved");
    const opened = new Date("2026-01-07T08:00:00Z");
    const viewId = openPlaybackView(userId, moduleId, opened);

    const result = recordProgress(
      userId,
      { viewId, ranges: [[0, 40]], positionSeconds: 40, ended: true },
      at(opened, 5),
    );

    // Five seconds at the fastest speed (2×) plus three seconds of slack: 13 s, not 40.
    expect(accepted(result).acceptedSeconds).toBeCloseTo(13, 5);
    expect(accepted(result).refusedSeconds).toBeCloseTo(27, 5);
    expect(accepted(result).progress.watched).toBe(false);
  });

  it("does not fill the gaps between slivers reported one at a time", () => {
    const userId = learner();
    const moduleId = freshModule("skolesundhedsplejersken-ondt-i-maven");
    const opened = new Date("2026-01-10T08:00:00Z");
    const viewId = openPlaybackView(userId, moduleId, opened);
    let result: RecordResult = { status: "unknownView" };
    for (let i = 0; i < 100; i++) {
      const start = i * 0.255;
      result = accepted(
        recordProgress(
          userId,
          { viewId, ranges: [[start, start + 0.01]], positionSeconds: start, ended: false },
          at(opened, 1 + i * 0.05),
        ),
      );
    }
    // A hundred slivers of 0.01 s are one second of film, not the 25 s they span.
    expect(accepted(result).progress.playedSeconds).toBeCloseTo(1, 1);
  });

  it("shares one clock between every view of the film, so many tabs gain nothing", () => {
    const userId = learner();
    const moduleId = freshModule("tandplejen-de-mange-udeblivelser");
    const opened = new Date("2026-01-11T08:00:00Z");
    const views = Array.from({ length: 10 }, () => openPlaybackView(userId, moduleId, opened));
    const results = views.map((viewId, i) =>
      accepted(
        recordProgress(
          userId,
          { viewId, ranges: [[i * 4, i * 4 + 4]], positionSeconds: i * 4 + 4, ended: false },
          at(opened, 5),
        ),
      ),
    );
    const credited = results.reduce((sum, r) => sum + r.acceptedSeconds, 0);
    // Five seconds at 2× plus the one-off slack: 13 s, not the 40 s the ten tabs claim.
    expect(credited).toBeCloseTo(13, 5);
  });

  it("does not let the slack add up over many small reports", () => {
    const userId = learner();
    const moduleId = freshModule("tandplejen-naar-frygten-er-for-stor");
    const opened = new Date("2026-01-12T08:00:00Z");
    const viewId = openPlaybackView(userId, moduleId, opened);
    let claimed = 0;
    let result: RecordResult = { status: "unknownView" };
    for (let i = 1; i <= 20; i++) {
      claimed += 3;
      result = accepted(
        recordProgress(
          userId,
          { viewId, ranges: [[0, claimed]], positionSeconds: claimed, ended: false },
          at(opened, i * 0.1),
        ),
      );
    }
    // Two seconds have passed: at most 2 × 2 + 3 = 7 s can be credited.
    expect(accepted(result).progress.playedSeconds).toBeCloseTo(7, 5);
  });

  it("clips ranges to the film and ignores nonsense", () => {
    const userId = learner();
    const moduleId = freshModule("sofie-ingen-spurgte-til-mig");
    const opened = new Date("2026-01-08T08:00:00Z");
    const viewId = openPlaybackView(userId, moduleId, opened);
    const result = recordProgress(
      userId,
      {
        viewId,
        ranges: [
          [-10, 2],
          [30, 500],
          [8, 4],
        ],
        positionSeconds: 900,
        ended: false,
      },
      at(opened, 600),
    );
    expect(accepted(result).progress.lastPositionSeconds).toBe(DURATION);
    const ranges = JSON.parse(storedProgress(userId, moduleId)?.playedRanges ?? "[]") as [number, number][];
    expect(ranges.every(([s, e]) => s >= 0 && e <= DURATION && s < e)).toBe(true);
  });

  it("keeps the last position, and starts over after the end", () => {
    const userId = learner();
    const moduleId = freshModule("laereren-naar-et-barn-aendrer-sig");
    const opened = new Date("2026-01-09T08:00:00Z");
    const viewId = openPlaybackView(userId, moduleId, opened);
    const paused = accepted(
      recordProgress(userId, { viewId, ranges: [[0, 12.5]], positionSeconds: 12.5, ended: false }, at(opened, 14)),
    );
    expect(paused.progress.lastPositionSeconds).toBe(12.5);
    const ended = accepted(
      recordProgress(userId, { viewId, ranges: [[0, 40]], positionSeconds: 40, ended: true }, at(opened, 45)),
    );
    expect(ended.progress.lastPositionSeconds).toBe(0);
  });

  it("refuses a view that belongs to someone else, or whose opening time was changed", () => {
    const moduleId = freshModule("sofie-ingen-spurgte-til-mig");
    const viewId = openPlaybackView(learner(), moduleId);
    const other = userIdByEmail(demoEmails.leader);
    expect(recordProgress(other, { viewId, ranges: [[0, 1]], positionSeconds: 1, ended: false }).status).toBe(
      "unknownView",
    );
    expect(recordProgress(learner(), { viewId, ranges: [[0, 1]], positionSeconds: 1, ended: false }).status).toBe("ok");

    // Opened a day earlier, the view would let a whole film be claimed at once; the signature does not allow it.
    const [payload, signature] = viewId.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as { o: number };
    const earlier = Buffer.from(JSON.stringify({ ...claims, o: claims.o - 86_400_000 })).toString("base64url");
    for (const forged of [`${earlier}.${signature}`, "no-such-view", ""]) {
      expect(
        recordProgress(learner(), { viewId: forged, ranges: [[0, 40]], positionSeconds: 40, ended: false }).status,
      ).toBe("unknownView");
    }
  });

  it("opens views without writing anything, however often the film is opened", () => {
    const moduleId = freshModule("amira-vi-flyttede-hele-tiden");
    const before = dumpTables();
    for (let i = 0; i < 50; i++) openPlaybackView(learner(), moduleId);
    expect(dumpTables()).toEqual(before);
  });
});
