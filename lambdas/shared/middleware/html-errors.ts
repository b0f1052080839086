import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { HttpError } from '../errors';
import { html, PAGE_HEADERS, renderPage } from '../html';
import { type ErrorRenderer, problemErrors, problemJson } from './problem-errors';
import type { HttpMiddleware, HttpRequest } from './types';

/**
 * A route for people answers its errors as HTML pages: the route passes the page (it knows its words and
 * its frame), this middleware's renderer adds the status, the page headers and the error's own headers
 * (Retry-After). A bug reaches the page as an `InternalError`: only the request id, nothing of the cause.
 */
export type ErrorPage = (error: HttpError, request: HttpRequest) => string;

/** A program asking for JSON and not HTML (browsers always list text/html) gets the problem+json instead. */
export function asksForJsonOnly(event: Pick<APIGatewayProxyEvent, 'headers'>): boolean {
  const accept = event.headers?.accept?.toLowerCase() ?? '';
  return /application\/([a-z0-9.+-]+\+)?json/.test(accept) && !accept.includes('text/html');
}

/** The page of any error, in the site's frame: its title, what happened, and each bad field. */
export const plainErrorPage: ErrorPage = (error) =>
  renderPage({
    title: error.title,
    body: html`<p class="notice bad" role="alert">${error.detail}</p>${
      error.errors !== undefined &&
      error.errors.length > 0 &&
      html`<ul>${error.errors.map((e) => html`<li>${e.field ? `${e.field}: ` : ''}${e.message}</li>`)}</ul>`
    }`,
  });

/** Renders errors as the route's HTML pages (`plainErrorPage` by default), problem+json for programs. */
export const htmlErrorPages =
  (page: ErrorPage = plainErrorPage): ErrorRenderer =>
  (error, request) =>
    asksForJsonOnly(request.event)
      ? problemJson(error, request)
      : {
          statusCode: error.status,
          headers: { ...PAGE_HEADERS, ...error.headers },
          body: page(error, request),
        };

/** The error middleware of a route for people: every failure answered as one of its pages. */
export const htmlErrors = (page?: ErrorPage): HttpMiddleware => problemErrors(htmlErrorPages(page));
