const CVR_WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1];

/** A CVR number: 8 digits whose weighted sum (2,7,6,5,4,3,2,1) is divisible by 11. */
export function isValidCvr(value: string): boolean {
  if (!/^\d{8}$/.test(value) || value.startsWith("0")) return false;
  const sum = [...value].reduce((total, digit, i) => total + Number(digit) * (CVR_WEIGHTS[i] ?? 0), 0);
  return sum % 11 === 0;
}

/** The GS1 check digit for the first 12 digits of an EAN-13 (weights 3,1,3,1,… from the right). */
export function eanCheckDigit(first12: string): number {
  const sum = [...first12].reverse().reduce((total, digit, i) => total + Number(digit) * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10;
}

/** An EAN (GLN) location number: 13 digits ending in the right GS1 check digit. */
export function isValidEan(value: string): boolean {
  return /^\d{13}$/.test(value) && eanCheckDigit(value.slice(0, 12)) === Number(value[12]);
}
