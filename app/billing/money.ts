/**
 * Money as whole øre (integers). Amounts are never held as floating-point kroner, so that
 * net + VAT = gross holds exactly on every invoice and in every sum of invoices.
 */

/** An amount in øre (1 kr. = 100 øre); always a safe integer. */
export type Ore = number;

/** Danish VAT (moms), standard rate. */
export const VAT_RATE_PERCENT = 25;

function assertOre(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a whole number of øre, got ${value}`);
}

/**
 * Divides two integers and rounds half away from zero, so that a credit note's VAT is exactly
 * the negative of the invoice's VAT. BigInt keeps large products exact.
 */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  if ((n % d) * 2n >= d) quotient += 1n;
  return negative ? -quotient : quotient;
}

function toOre(value: bigint, name: string): Ore {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) throw new RangeError(`${name} is too large to be held exactly`);
  return result;
}

/** The VAT on a net amount, rounded to the nearest øre (half an øre rounds away from zero). */
export function vatOf(netOre: Ore): Ore {
  assertOre(netOre, "netOre");
  return toOre(divideRounded(BigInt(netOre) * BigInt(VAT_RATE_PERCENT), 100n), "VAT");
}

/** Net, VAT and gross for a net amount; gross is always exactly net + VAT. */
export function withVat(netOre: Ore): { net: Ore; vat: Ore; gross: Ore } {
  const vat = vatOf(netOre);
  return { net: netOre, vat, gross: toOre(BigInt(netOre) + BigInt(vat), "gross") };
}

// Percentages are turned into whole hundredths of a basis point so that e.g. 12.5 % stays exact.
const PERCENT_SCALE = 10_000;

/**
 * The price after a percentage discount, rounded to the nearest øre. `percent` may have up to
 * four decimals (e.g. 12.5); anything finer would be rounded silently, so it is refused.
 */
export function applyDiscount(listOre: Ore, percent: number): Ore {
  assertOre(listOre, "listOre");
  const scaled = Math.round(percent * PERCENT_SCALE);
  if (!Number.isFinite(percent) || percent < 0 || percent > 100 || Math.abs(scaled - percent * PERCENT_SCALE) > 1e-6) {
    throw new RangeError(`discount must be between 0 and 100 % with at most four decimals, got ${percent}`);
  }
  const keptScaled = BigInt(100 * PERCENT_SCALE - scaled);
  return toOre(divideRounded(BigInt(listOre) * keptScaled, BigInt(100 * PERCENT_SCALE)), "discounted price");
}

/** `ore` × part / whole, rounded to the nearest øre: a price for the months left of a period. */
export function prorate(ore: Ore, part: number, whole: number): Ore {
  assertOre(ore, "ore");
  if (!Number.isSafeInteger(part) || !Number.isSafeInteger(whole) || whole <= 0 || part < 0 || part > whole) {
    throw new RangeError(`cannot take ${part} of ${whole}`);
  }
  return toOre(divideRounded(BigInt(ore) * BigInt(part), BigInt(whole)), "prorated amount");
}

/** "59975.00" for 5,997,500 øre: the dot-decimal form XML schemas and UBL expect. */
export function formatAmountForXml(ore: Ore): string {
  assertOre(ore, "ore");
  const sign = ore < 0 ? "-" : "";
  const abs = Math.abs(ore);
  const kroner = Math.trunc(abs / 100);
  const rest = abs % 100;
  return `${sign}${kroner}.${String(rest).padStart(2, "0")}`;
}

/**
 * "59.975,00 kr." for 5,997,500 øre. The number goes through Intl for the locale's grouping and
 * decimal marks, but the unit is always "kr.": Intl's DKK currency style prints "DKK 5.00" in
 * other locales, while a Danish invoice always says "kr.". The space before "kr." is a
 * no-break space (U+00A0), as Intl itself uses for da-DK, so the unit never wraps onto its own line.
 */
export function formatKroner(ore: Ore, locale = "da-DK"): string {
  const number = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  // Intl accepts a decimal string and formats it exactly, so no float division by 100 is needed.
  const formatted = number.format(formatAmountForXml(ore) as unknown as number);
  return `${formatted}\u00a0kr.`;
}

const KRONER_PATTERN = /^(-)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?(?:[\s\u00a0]*kr\.?)?$/;

/**
 * Reads a Danish-formatted amount ("59.975,00", "59975,5", "-12,00 kr.") into øre. Returns null
 * for anything ambiguous or malformed (wrong thousands grouping, more than two decimals, a
 * dot used as the decimal mark), rather than guessing.
 */
export function parseKroner(text: string): Ore | null {
  const match = KRONER_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, minus, whole = "", decimals = ""] = match;
  const ore = BigInt(whole.replaceAll(".", "")) * 100n + BigInt(decimals.padEnd(2, "0") || "0");
  const result = Number(minus ? -ore : ore);
  if (!Number.isSafeInteger(result)) return null;
  return result === 0 ? 0 : result;
}
