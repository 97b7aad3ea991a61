export { digiledgeFromPaise, paiseFromDigiledge } from './digiledge.ts';
export { EBPP_MAX_PAISE, ebppAmountFromPaise, paiseFromEbppAmount } from './ebpp.ts';
export {
  ekoPaiseStringFromPaise,
  ekoRupeeStringFromPaise,
  paiseFromEkoPaiseString,
  paiseFromEkoRupeeString,
} from './eko.ts';
export { MoneyError, type MoneyForm } from './error.ts';
export { formatRupees } from './format.ts';
export { KALEIDOFIN_EXACT_PAISE_LIMIT, kaleidofinRupeesFromPaise, paiseFromKaleidofinRupees } from './kaleidofin.ts';
