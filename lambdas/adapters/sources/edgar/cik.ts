/**
 * SEC Central Index Keys. EDGAR spells them three ways: a bare number in `companyfacts` (`320193`),
 * a zero-padded string in `submissions` (`"0000320193"`) and a string of any width in older or
 * converted payloads (`"1318605"`). Everything downstream uses the 10-digit form, which is also
 * the one the data.sec.gov URL paths require.
 */
import { SourceFormatError } from '../../../core/errors';

const CIK_DIGITS = 10;

/**
 * The 10-digit zero-padded form of a CIK given as a number or a digit string.
 * @throws SourceFormatError when the value is not a positive integer of at most 10 digits.
 */
export function padCik(cik: number | string): string {
  const digits = typeof cik === 'number' ? (Number.isSafeInteger(cik) && cik > 0 ? String(cik) : '') : cik.trim();
  if (!/^\d{1,10}$/.test(digits) || /^0+$/.test(digits)) {
    throw new SourceFormatError(`CIK must be a positive integer of at most ${CIK_DIGITS} digits, got ${JSON.stringify(cik)}`);
  }
  return digits.padStart(CIK_DIGITS, '0');
}
