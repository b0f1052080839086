import type { APIGatewayProxyEvent } from 'aws-lambda';
import { parsedRequest } from './request-state';
import type { HttpMiddleware, HttpRequest } from './types';

/**
 * Who a request comes from, decided by a domain (the departments domain provides the API-key one): a
 * route opts in with `auth`, and the handler receives the result as `caller`. Throw an HttpError (401)
 * to refuse the request.
 */
export interface Authenticator<C> {
  readonly authenticate: (event: APIGatewayProxyEvent) => Promise<C>;
}

const authenticationBefore =
  <C>(authenticator: Authenticator<C>) =>
  async ({ event }: HttpRequest): Promise<void> => {
    parsedRequest(event).caller = await authenticator.authenticate(event);
  };

/** Runs the route's authenticator before anything is parsed; its answer reaches the handler as `caller`. */
export const authentication = <C>(authenticator: Authenticator<C>): HttpMiddleware => ({
  before: authenticationBefore(authenticator),
});
