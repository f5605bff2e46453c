/** The error of a port a function was not given (its variable is unset): thrown when used, never at a cold start. */
export class NotConfigured extends Error {
  constructor(port: string, variable: string) {
    super(`${port} is not configured for this function: ${variable} is not set`);
    this.name = 'NotConfigured';
  }
}
