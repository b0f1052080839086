import type { HttpMiddleware, HttpRequest } from './types';

const headWithoutBodyAfter = ({ event, response }: HttpRequest): void => {
  if (event.httpMethod === 'HEAD' && response) response.body = '';
};

/** HEAD is answered exactly like GET, minus the body. */
export const headWithoutBody = (): HttpMiddleware => ({
  after: headWithoutBodyAfter,
  onError: headWithoutBodyAfter,
});
