import { type Actor, SETTINGS_ADMINISTRATOR } from 'api-accounts';

/** A person who can sign in to the demo. */
export interface DemoUser extends Actor {
  readonly name: string;
  readonly roleLabel: string;
}

/** The two demo users: one administrator, one without the role (to see Forbidden). */
export const DEMO_USERS: Readonly<Record<string, DemoUser>> = {
  sam: {
    id: 'sam',
    name: 'Sam Patel',
    roles: [SETTINGS_ADMINISTRATOR],
    roleLabel: 'Settings Administrator',
  },
  casey: {
    id: 'casey',
    name: 'Casey Jones',
    roles: ['Box Office Staff'],
    roleLabel: 'Box Office Staff',
  },
};

/** The signed-in user named by the session cookie, if any. */
export function userFromCookie(cookieHeader: string | null): DemoUser | null {
  const match = /(?:^|;\s*)demo_user=([a-z]+)/.exec(cookieHeader ?? '');
  return (match?.[1] && DEMO_USERS[match[1]]) || null;
}
