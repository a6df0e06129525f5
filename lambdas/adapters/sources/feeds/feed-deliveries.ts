/**
 * Deliveries of a vendor feed: `<root>/<kind>/<YYYY-MM-DD>.jsonl`, one file per kind per delivery,
 * each the vendor's full current view of its coverage. Which delivery a brief uses, and what a bad
 * line does: it is reported with file and line and skipped, never guessed at.
 */
import type { IsoDate } from '../../../core/model';
import type { BlobEntry } from '../blob-reader';
import { FEED_LINE_SCHEMAS } from './feed-records';
import type { FeedKind, FeedRecords } from './feed-records';
import { firstIssue } from '../../../core/validation';

export interface Delivery {
  date: IsoDate;
  entry: BlobEntry;
}

/** A line that was skipped: where it is and why. */
export interface MalformedLine {
  kind: FeedKind;
  file: string;
  /** 1-based. */
  line: number;
  reason: string;
}

const DELIVERY_NAME = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

/** The deliveries among a folder's entries (other files are ignored), oldest first. */
export function deliveriesOf(entries: readonly BlobEntry[]): Delivery[] {
  return entries
    .flatMap((entry) => {
      const date = DELIVERY_NAME.exec(entry.name)?.[1];
      return date && !Number.isNaN(Date.parse(date)) ? [{ date, entry }] : [];
    })
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** The newest delivery dated on or before `asOf`: a later one did not exist yet on that day. */
export function deliveryFor(deliveries: readonly Delivery[], asOf: IsoDate): Delivery | undefined {
  return deliveries.findLast((delivery) => delivery.date <= asOf);
}

/** Whole calendar days from `from` to `to`. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The records of one delivery file. A line that is not JSON, does not match the kind's schema or
 * repeats a document id is handed to `onMalformed` and skipped; blank lines are allowed.
 */
export function parseDelivery<K extends FeedKind>(
  kind: K,
  file: string,
  text: string,
  onMalformed: (line: MalformedLine) => void,
): Array<FeedRecords[K]> {
  const schema = FEED_LINE_SCHEMAS[kind];
  const seen = new Set<string>();
  const records: Array<FeedRecords[K]> = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const skip = (reason: string) => onMalformed({ kind, file, line: index + 1, reason });
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return skip('not valid JSON');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const { path, message } = firstIssue(parsed.error);
      return skip(`${path ?? 'line'} ${message}`);
    }
    const { docId } = parsed.data as { docId: string };
    if (seen.has(docId)) return skip(`docId ${docId} repeats an earlier line`);
    seen.add(docId);
    records.push(parsed.data);
  });
  return records;
}
