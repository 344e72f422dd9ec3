import {
  applyDiscount,
  formatAmountForXml,
  formatKroner,
  parseKroner,
  VAT_RATE_PERCENT,
  vatOf,
  withVat,
} from "~/billing/money";

const NBSP = "\u00a0";

describe("money in øre", () => {
  it("prices the pilot licence exactly", () => {
    const list = 23_990_000; // 239.900,00 kr.
    const net = applyDiscount(list, 75);
    expect(net).toBe(5_997_500);
    expect(withVat(net)).toEqual({ net: 5_997_500, vat: 1_499_375, gross: 7_496_875 });
    expect(formatKroner(net)).toBe(`59.975,00${NBSP}kr.`);
    expect(formatKroner(1_499_375)).toBe(`14.993,75${NBSP}kr.`);
    expect(formatKroner(7_496_875)).toBe(`74.968,75${NBSP}kr.`);
    expect(formatAmountForXml(net)).toBe("59975.00");
    expect(formatAmountForXml(1_499_375)).toBe("14993.75");
    expect(formatAmountForXml(7_496_875)).toBe("74968.75");
  });

  it("uses the standard Danish VAT rate", () => {
    expect(VAT_RATE_PERCENT).toBe(25);
    expect(vatOf(400)).toBe(100);
  });

  it("rounds half an øre of VAT away from zero, symmetrically for credit notes", () => {
    expect(vatOf(2)).toBe(1); // 0.5 øre
    expect(vatOf(1)).toBe(0); // 0.25 øre
    expect(vatOf(3)).toBe(1); // 0.75 øre
    expect(vatOf(6)).toBe(2); // 1.5 øre
    expect(vatOf(-2)).toBe(-1);
    expect(vatOf(-6)).toBe(-2);
    expect(vatOf(0)).toBe(0);
    expect(Object.is(vatOf(-1), -0)).toBe(false);
  });

  it("keeps net + VAT = gross exactly, also summed over many amounts", () => {
    let net = 0;
    let vat = 0;
    let gross = 0;
    for (let ore = -5_000; ore <= 5_000; ore += 7) {
      const amounts = withVat(ore);
      expect(amounts.gross).toBe(amounts.net + amounts.vat);
      net += amounts.net;
      vat += amounts.vat;
      gross += amounts.gross;
    }
    expect(gross).toBe(net + vat);
    const big = withVat(Number.MAX_SAFE_INTEGER - 3_000_000_000_000_000);
    expect(big.gross).toBe(big.net + big.vat);
  });

  it("refuses amounts that are not whole øre", () => {
    expect(() => vatOf(0.5)).toThrow(RangeError);
    expect(() => formatAmountForXml(Number.NaN)).toThrow(RangeError);
    expect(() => withVat(Number.MAX_SAFE_INTEGER)).toThrow(RangeError);
  });

  it("applies discounts rounded to the øre", () => {
    expect(applyDiscount(1_000, 0)).toBe(1_000);
    expect(applyDiscount(1_000, 100)).toBe(0);
    expect(applyDiscount(999, 50)).toBe(500); // 499.5 øre
    expect(applyDiscount(999, 12.5)).toBe(874); // 874.125 øre
    expect(applyDiscount(0, 75)).toBe(0);
    expect(applyDiscount(-999, 50)).toBe(-500);
    expect(() => applyDiscount(1_000, 101)).toThrow(RangeError);
    expect(() => applyDiscount(1_000, -1)).toThrow(RangeError);
    expect(() => applyDiscount(1_000, 1 / 3)).toThrow(RangeError);
  });

  it("formats amounts for XML with integer arithmetic only", () => {
    expect(formatAmountForXml(0)).toBe("0.00");
    expect(formatAmountForXml(5)).toBe("0.05");
    expect(formatAmountForXml(-5)).toBe("-0.05");
    expect(formatAmountForXml(-123_456)).toBe("-1234.56");
    expect(formatAmountForXml(Number.MAX_SAFE_INTEGER)).toBe("90071992547409.91");
  });

  it("formats kroner the Danish way", () => {
    expect(formatKroner(0)).toBe(`0,00${NBSP}kr.`);
    expect(formatKroner(-50)).toBe(`-0,50${NBSP}kr.`);
    expect(formatKroner(123_400)).toBe(`1.234,00${NBSP}kr.`);
    expect(formatKroner(Number.MAX_SAFE_INTEGER)).toBe(`90.071.992.547.409,91${NBSP}kr.`);
    expect(formatKroner(5_997_500, "en-GB")).toBe(`59,975.00${NBSP}kr.`);
  });

  it("parses Danish amounts into øre", () => {
    expect(parseKroner("59.975,00")).toBe(5_997_500);
    expect(parseKroner("59975,00")).toBe(5_997_500);
    expect(parseKroner("59975")).toBe(5_997_500);
    expect(parseKroner("14.993,75")).toBe(1_499_375);
    expect(parseKroner("1.234.567,5")).toBe(123_456_750);
    expect(parseKroner(" 0,05 ")).toBe(5);
    expect(parseKroner("-12,00 kr.")).toBe(-1_200);
    expect(parseKroner(`59.975,00${NBSP}kr.`)).toBe(5_997_500);
    expect(parseKroner("-0,00")).toBe(0);
    expect(Object.is(parseKroner("-0"), -0)).toBe(false);
    expect(parseKroner(formatKroner(7_496_875))).toBe(7_496_875);
  });

  it("returns null for malformed amounts", () => {
    for (const text of [
      "",
      " ",
      "abc",
      "1,234",
      "59.97,00",
      "59975.00",
      "1..000",
      ",50",
      "1,",
      "--1",
      "1 000,00",
      "12,5a",
      "99999999999999999,00",
    ]) {
      expect(parseKroner(text), text).toBeNull();
    }
  });
});
