import { eanCheckDigit, isValidCvr, isValidEan } from "~/licensing/danish-ids";

describe("Danish identifiers", () => {
  it("accepts CVR numbers whose weighted sum is divisible by 11", () => {
    expect(isValidCvr("55133018")).toBe(true);
    expect(isValidCvr("29181004")).toBe(true);
    expect(isValidCvr("55133019")).toBe(false);
    expect(isValidCvr("5513301")).toBe(false);
    expect(isValidCvr("5513301a")).toBe(false);
  });

  it("checks the GS1 check digit of EAN location numbers", () => {
    expect(eanCheckDigit("579800012345")).toBe(8);
    expect(isValidEan("5798000123458")).toBe(true);
    expect(isValidEan("5798000123457")).toBe(false);
    expect(isValidEan("579800012345")).toBe(false);
  });
});
