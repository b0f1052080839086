import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/** An API Gateway REST (Lambda proxy) event as the real integration sends it, for calling handlers directly. */
export function apiEvent(
  options: {
    method?: string;
    path?: string;
    resource?: string;
    headers?: Record<string, string>;
    body?: string | null;
    isBase64Encoded?: boolean;
    query?: Record<string, string>;
    pathParameters?: Record<string, string>;
    requestId?: string;
    /** The caller's address as API Gateway sees it (default 127.0.0.1). */
    sourceIp?: string;
  } = {},
): APIGatewayProxyEvent {
  const method = options.method ?? 'GET';
  const path = options.path ?? '/';
  const headers = options.headers ?? {};
  return {
    resource: options.resource ?? path,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: options.query
      ? Object.fromEntries(Object.entries(options.query).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: options.sourceIp ?? '127.0.0.1',
        user: null,
        userAgent: 'vitest',
        userArn: null,
      },
      path,
      stage: 'test',
      requestId: options.requestId ?? 'req-test-1',
      requestTimeEpoch: Date.now(),
      resourceId: 'r',
      resourcePath: options.resource ?? path,
    },
  };
}

export function lambdaContext(functionName = 'test-function'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-south-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: 'aws-req-1',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
