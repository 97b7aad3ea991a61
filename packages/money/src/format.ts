import { MoneyError } from './error.ts';

/** For people, never for the wire: `220000n` → "₹2,200.00", `1234567800n` → "₹1,23,45,678.00" (Indian grouping). */
export function formatRupees(paise: bigint): string {
  if (typeof paise !== 'bigint') throw new MoneyError('paise', paise, 'paise must be a bigint');
  const sign = paise < 0n ? '-' : '';
  const abs = paise < 0n ? -paise : paise;
  const whole = (abs / 100n).toString();
  const cents = (abs % 100n).toString().padStart(2, '0');
  const last3 = whole.slice(-3);
  const rest = whole.slice(0, -3);
  const grouped = rest === '' ? last3 : `${rest.replace(/\B(?=(?:[0-9]{2})+$)/g, ',')},${last3}`;
  return `${sign}₹${grouped}.${cents}`;
}
