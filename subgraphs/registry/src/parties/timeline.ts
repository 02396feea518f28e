import { TIMELINE_PARTS } from '../domains.ts';
import { checkDayRange } from './days.ts';

interface TimelineEvent {
  at: string;
  domain: string;
  type: string;
  measureCode: string | null;
  reference: string;
  summary: string;
}

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
    .filter((e) => (!args.from || e.at.slice(0, 10) >= args.from) && (!args.to || e.at.slice(0, 10) <= args.to))
    .sort(
      (a, b) => a.at.localeCompare(b.at) || a.domain.localeCompare(b.domain) || a.reference.localeCompare(b.reference),
    );
}
