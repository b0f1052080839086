import type { APIGatewayProxyEvent } from 'aws-lambda';
import {
  installAwsLambdaGlobal,
  isStreamingHandler,
  LambdaResponseStream,
  readHttpIntegrationResponse,
} from '../../local/response-streaming';
import { lambdaContext } from './api-event';

/**
 * Calls a streaming handler (awslambda.streamifyResponse) the way Lambda and API Gateway do: with a
 * response stream, then reads the prelude and the body. Call `installAwsLambdaGlobal()` before importing
 * the handler module.
 */
export { installAwsLambdaGlobal };

export interface StreamedAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export async function callStreaming(handler: unknown, event: APIGatewayProxyEvent): Promise<StreamedAnswer> {
  if (!isStreamingHandler(handler)) throw new TypeError('Not a streaming handler');
  const stream = new LambdaResponseStream();
  const run = Promise.resolve(handler(event, stream, lambdaContext('ETaalConnector'))).then(
    () => {
      if (!stream.writableEnded) stream.end();
    },
    (error: unknown) => stream.destroy(error as Error),
  );
  const response = await readHttpIntegrationResponse(stream);
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  await run;
  return {
    status: response.statusCode,
    headers: response.headers,
    text: Buffer.concat(chunks).toString('utf8'),
  };
}
