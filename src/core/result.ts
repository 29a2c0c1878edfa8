/**
 * The one place the core imports neverthrow, so that the result library could be
 * swapped without touching every module.
 *
 * @module
 */
export type { Err, Ok } from 'neverthrow';
export { err, errAsync, ok, okAsync, Result, ResultAsync, safeTry } from 'neverthrow';
