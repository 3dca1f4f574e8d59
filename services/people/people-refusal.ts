/**
 * A request about people that cannot be done (an invitation, a change of access, a
 * password), in words for the person who asked. `field` names the form field at
 * fault, so a page can show the message beside it; the edges map it (400, or 409
 * for a conflict with the account's state) and never the other way round.
 */
export class PeopleRefusal extends Error {
  readonly field: string | undefined;
  readonly conflict: boolean;
  constructor(message: string, options: { field?: string; conflict?: boolean } = {}) {
    super(message);
    this.name = 'PeopleRefusal';
    this.field = options.field;
    this.conflict = options.conflict ?? false;
  }
}
