import { cycleState, daysLeft } from "~/training/states";

describe("where a person stands on a round", () => {
  const open = { dueOn: "2027-03-01", completedOn: null, startedAt: null, refresher: false };

  it("is completed on time up to and including the due day, late after it", () => {
    expect(cycleState({ ...open, completedOn: "2027-03-01" }, "2027-06-01")).toBe("completedOnTime");
    expect(cycleState({ ...open, completedOn: "2027-03-02" }, "2027-06-01")).toBe("completedLate");
  });

  it("is overdue from the day after the due day, also when started or a refresher", () => {
    expect(cycleState(open, "2027-03-01")).toBe("notStarted");
    expect(cycleState(open, "2027-03-02")).toBe("overdue");
    expect(cycleState({ ...open, startedAt: new Date(), refresher: true }, "2027-03-02")).toBe("overdue");
  });

  it("says a refresher is due until the person starts it again", () => {
    expect(cycleState({ ...open, refresher: true }, "2027-02-01")).toBe("refresh");
    expect(cycleState({ ...open, refresher: true, startedAt: new Date() }, "2027-02-01")).toBe("inProgress");
  });

  it("counts days left in Danish calendar days, across the change to summer time", () => {
    expect(daysLeft("2027-03-01", "2027-02-22")).toBe(7);
    expect(daysLeft("2027-04-01", "2027-03-25")).toBe(7);
    expect(daysLeft("2027-03-01", "2027-03-02")).toBe(-1);
  });
});
