// Local days in a configured IANA time zone: "Today" in the Associations tab runs from local
// midnight (domain.md §4), so every count is filed under the local day (YYYY-MM-DD) of an instant.
// The zone arithmetic and the day labels are processors/time/zone.ts; this adds the config error.

import { SmfError } from '../../agent/errors.js';
import { Zone } from '../time/zone.js';

export { addDays, dayNumber, isDay } from '../time/zone.js';

export class LocalCalendar {
  readonly zone: string;
  readonly #zone: Zone;

  /** Throws SMF_ERR_CONFIG for a zone the runtime does not know (checked once, at start-up). */
  constructor(zone: string) {
    try {
      this.#zone = new Zone(zone);
    } catch (cause) {
      throw new SmfError('SMF_ERR_CONFIG', `unknown time zone '${zone}' for associations`, { cause, hint: 'use an IANA zone name such as Europe/Berlin or UTC' });
    }
    this.zone = this.#zone.name;
  }

  /** The local day (YYYY-MM-DD) of an instant given in epoch milliseconds. */
  dayOf(epochMs: number): string {
    return this.#zone.dayOf(epochMs);
  }
}
