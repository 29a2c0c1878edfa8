import type { ListAccountsQuery } from './read-accounts.js';

/** The names of the `listAccounts` parameters as text: a URL's query, command-line flags. */
export type ListParameter =
  | 'tenant'
  | 'limit'
  | 'cursor'
  | 'active'
  | 'state'
  | 'unusedSince'
  | 'search'
  | 'sort';

/**
 * A `listAccounts` query from text parameters (the admin API's query string,
 * the command line's flags): numbers, booleans and dates read from their
 * text, everything passed on as given for `listAccounts` to judge, so a bad
 * value answers its `InvalidInput` like any other.
 */
export function listQueryFromText(
  get: (name: ListParameter) => string | undefined,
): ListAccountsQuery {
  const text = (name: ListParameter) => {
    const value = get(name);
    return value === undefined ? {} : { [name]: value };
  };
  const limit = get('limit');
  const active = get('active');
  const unusedSince = get('unusedSince');
  // Whatever does not read as its type goes on unread: listAccounts refuses it by name.
  return {
    ...text('tenant'),
    ...text('cursor'),
    ...text('state'),
    ...text('search'),
    ...text('sort'),
    ...(limit === undefined ? {} : { limit: Number(limit) }),
    ...(active === undefined
      ? {}
      : { active: active === 'true' ? true : active === 'false' ? false : active }),
    ...(unusedSince === undefined ? {} : { unusedSince: new Date(unusedSince) }),
  } as ListAccountsQuery;
}
