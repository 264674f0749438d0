/**
 * A mistake on the command line (a bad flag value, an unknown version or defect, a file that is
 * not there). The CLI prints its message as one line and exits 2.
 */
export class UsageError extends Error {
  readonly code = 'usage';

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
