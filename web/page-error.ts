/** A page that cannot be shown, with the status and the words the person sees. */
export class PageError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(status: number, title: string, message: string) {
    super(message);
    this.name = 'PageError';
    this.status = status;
    this.title = title;
  }

  /** Also what another account's ids get: whether they exist is none of the person's business. */
  static notFound(): PageError {
    return new PageError(404, 'Not found', 'There is nothing here, or it is not yours to see.');
  }
}
