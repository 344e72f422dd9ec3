import { getEnv } from "~/env.server";
import type { OioublInvoice } from "./oioubl-invoice.server";

export type Seller = OioublInvoice["seller"];

/** The platform's own company, as configured: printed on every quote, invoice and OIOUBL file. */
export function seller(): Seller {
  const env = getEnv();
  return {
    name: env.SELLER_NAME,
    cvr: env.SELLER_CVR,
    streetName: env.SELLER_STREET,
    buildingNumber: env.SELLER_BUILDING_NUMBER,
    postalCode: env.SELLER_POSTAL_CODE,
    city: env.SELLER_CITY,
    countryCode: "DK",
    email: env.SELLER_EMAIL,
    phone: env.SELLER_PHONE,
    bankRegNo: env.SELLER_BANK_REG_NO,
    bankAccountNo: env.SELLER_BANK_ACCOUNT_NO,
  };
}
