import { type Actor, SETTINGS_ADMINISTRATOR } from 'api-accounts';

/** The venues (tenants) this one deployment runs, by tenant id. */
export const VENUES: Readonly<Record<string, string>> = {
  riverside: 'Riverside Theatre',
  northgate: 'Northgate Hall',
};

/** A person who can sign in to the demo. */
export interface DemoPerson extends Actor {
  readonly name: string;
  readonly roleLabel: string;
  /** The venues they administer, the first one shown after sign-in. */
  readonly venues: readonly string[];
}

/**
 * A signed-in person acting in one venue: the actor the manager is given
 * administers that venue alone (nothing, if it is not theirs), as a host
 * whose screens show one venue at a time would confine it.
 */
export interface DemoUser extends DemoPerson {
  readonly venue: string;
}

/** The demo users: Sam runs both venues, Casey one, Robin none (to see Forbidden). */
export const DEMO_USERS: Readonly<Record<string, DemoPerson>> = {
  sam: {
    id: 'sam',
    name: 'Sam Patel',
    roles: [SETTINGS_ADMINISTRATOR],
    roleLabel: 'Settings Administrator, both venues',
    venues: ['riverside', 'northgate'],
  },
  casey: {
    id: 'casey',
    name: 'Casey Jones',
    roles: [SETTINGS_ADMINISTRATOR],
    roleLabel: 'Settings Administrator, Northgate Hall',
    venues: ['northgate'],
  },
  robin: {
    id: 'robin',
    name: 'Robin Lee',
    roles: ['Box Office Staff'],
    roleLabel: 'Box Office Staff',
    venues: ['riverside'],
  },
};

/** The signed-in user named by the session cookie, in the venue the venue cookie names (if theirs). */
export function userFromCookie(cookieHeader: string | null): DemoUser | null {
  const cookie = (name: string) =>
    new RegExp(`(?:^|;\\s*)${name}=([a-z]+)`).exec(cookieHeader ?? '')?.[1];
  const person = DEMO_USERS[cookie('demo_user') ?? ''];
  if (!person) return null;
  const asked = cookie('demo_venue');
  const venue = asked && person.venues.includes(asked) ? asked : (person.venues[0] ?? 'riverside');
  return { ...person, venue, tenants: [venue] };
}
