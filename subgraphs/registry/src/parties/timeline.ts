import { TIMELINE_PARTS } from '../domains.ts';
import { checkDayRange } from './days.ts';

interface TimelineEvent {
  /** As the domain serialised it (with its offset), null for a day event. */
  at: string | null;
  day: string;
  domain: string;
  type: string;
  measureCode: string | null;
  reference: string;
  summary: string;
}

// Instants, not strings, are compared: the offsets of one day differ on the days the clocks change.
const instant = (e: TimelineEvent) => (e.at === null ? -Infinity : Date.parse(e.at));

/**
 * Person.timeline and Organisation.timeline: every domain's events in date order (a day event
 * before the timed events of that day), optionally between two days (inclusive).
 */
export function mergedTimeline(party: object, args: { from?: string | null; to?: string | null }) {
  checkDayRange(args);
  // The domains' events arrive through @requires beside the row, under names the list of domains makes.
  const parts = party as Record<string, TimelineEvent[] | undefined>;
  const events = TIMELINE_PARTS.flatMap((part) => parts[part] ?? []);
  return events
    .filter((e) => (!args.from || e.day >= args.from) && (!args.to || e.day <= args.to))
    .sort(
      (a, b) =>
        a.day.localeCompare(b.day) ||
        instant(a) - instant(b) ||
        a.domain.localeCompare(b.domain) ||
        a.reference.localeCompare(b.reference),
    );
}
