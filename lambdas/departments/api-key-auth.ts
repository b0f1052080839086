import type { APIGatewayProxyEvent } from 'aws-lambda';
import { UnauthorizedError } from '../shared/errors';
import type { Authenticator } from '../shared/http';
import { logger } from '../shared/observability';
import type { Department } from './department';
import { authenticate } from './repository';

/**
 * The department API key as a route's `auth`: x-api-key → sha256 lookup → the department, handed to the
 * handler as `caller`; 401 when the header is missing or the key unknown.
 */
export const departmentApiKey: Authenticator<Department> = {
  authenticate: async (event: APIGatewayProxyEvent) => {
    const apiKey = (event.headers as Record<string, string | undefined> | null)?.['x-api-key']?.trim();
    if (!apiKey) {
      throw new UnauthorizedError('Send your department API key in the x-api-key header.', {
        problemType: 'missing-api-key',
      });
    }
    const department = await authenticate(apiKey);
    if (!department) {
      throw new UnauthorizedError('The API key in x-api-key is not valid.', {
        problemType: 'invalid-api-key',
      });
    }
    logger.appendKeys({ departmentId: department.departmentId });
    return department;
  },
};
