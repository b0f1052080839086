import { readSetting, SETTINGS } from '../shared/settings';
/**
 * The connector's deployment setting (CDK context `etaal:connectorUrlCredentials`, set on the function as
 * this variable; in local mode from the environment of `npm start`).
 *
 * URL credentials let a GET carry UserName and Password in its query string, for pollers that can only
 * fetch a URL. Off by default: a URL is copied into places a body or header never reaches (browser and
 * proxy histories, monitoring tools, WAF logs if enabled). API Gateway's access log format of this stack
 * holds no query string.
 */
export const URL_CREDENTIALS_ENV = SETTINGS.connectorUrlCredentials.envVar;

export function urlCredentialsEnabled(): boolean {
  return readSetting('connectorUrlCredentials');
}
