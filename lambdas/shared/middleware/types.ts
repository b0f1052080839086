import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { HttpResult } from '../http-responses';

/** A middleware of the API chain (../http.ts httpHandler): API Gateway proxy event in, HttpResult out. */
export type HttpMiddleware = MiddlewareObj<APIGatewayProxyEvent, HttpResult, Error, Context>;

/** The middy request an HTTP middleware hook receives. */
export type HttpRequest = Parameters<NonNullable<HttpMiddleware['before']>>[0];
