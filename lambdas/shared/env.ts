/** A setting the deployment must provide (CDK sets it on the function; local mode sets it in-process). */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

/** The API's base URL, without a trailing slash: links in emails and pages start with it. */
export function publicBaseUrl(): string {
  return requiredEnv('PUBLIC_BASE_URL').replace(/\/+$/, '');
}
