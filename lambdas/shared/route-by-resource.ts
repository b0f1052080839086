import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/**
 * One Lambda function serving several API Gateway resources: the event goes to the handler of its
 * resource. Only the routes its functions.ts gives the function reach it, so any other resource is a
 * wiring error (a thrown Error, a 500), never a client's mistake.
 */
export function routeByResource<R>(
  functionName: string,
  routes: Readonly<Record<string, (event: APIGatewayProxyEvent, context: Context) => R>>,
): (event: APIGatewayProxyEvent, context: Context) => R {
  return (event, context) => {
    const route = routes[event.resource];
    if (!route) throw new Error(`${functionName} serves no resource ${event.resource}`);
    return route(event, context);
  };
}
