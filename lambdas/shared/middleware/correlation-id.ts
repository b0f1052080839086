import { logger } from '../observability';
import type { HttpMiddleware, HttpRequest } from './types';

const correlationIdBefore = ({ event, context }: HttpRequest): void => {
  logger.setCorrelationId(event.requestContext?.requestId ?? context.awsRequestId);
};

/** Correlation id = API Gateway request id, so a client's report can be found in the logs. */
export const correlationId = (): HttpMiddleware => ({ before: correlationIdBefore });
