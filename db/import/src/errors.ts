/** The import cannot run (arguments, configuration, connection, schema state): exit code 2, nothing written. */
export class CannotRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CannotRunError';
  }
}
