// The one place where tiendo's error codes meet the API: a TiendoError becomes a GraphQL error with
// `extensions.code`, `reason` and `issues` (field paths), and an HTTP status where a plain route answers.
// Anything else is unexpected and masked by yoga, which logs it with its stack. Expected errors leave the
// resolvers already converted (withErrorCodes): yoga logs every error it has to convert as a failure.
import { GraphQLError, type GraphQLFieldResolver } from 'graphql';
import { maskError } from 'graphql-yoga';
import { targetOfData } from '../auth/denials.js';
import { type ErrorCode, isTiendoError, type TiendoError, ValidationError } from '../domain/errors.js';
import type { ApiContext } from './context.js';

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  ILLEGAL_TRANSITION: 409,
  CONFLICT: 409,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  UNAVAILABLE: 503,
};

/** code, reason, and the field issues a validation (or an actor refusal) names. */
export function tiendoExtensions(error: TiendoError): Record<string, unknown> {
  const issues = error instanceof ValidationError ? error.issues : error.details.issues;
  return { code: error.code, reason: error.reason || error.code, ...(issues !== undefined && { issues }) };
}

export const toGraphQLError = (error: TiendoError): GraphQLError =>
  new GraphQLError(error.message, { extensions: tiendoExtensions(error) });

/** The resolver, with expected errors turned into GraphQL errors carrying their code. */
export function withErrorCodes<A extends unknown[], R>(resolve: (...args: A) => R | Promise<R>) {
  return async (...args: A): Promise<R> => {
    try {
      return await resolve(...args);
    } catch (error) {
      throw isTiendoError(error) ? toGraphQLError(error) : error;
    }
  };
}

/** yoga's `maskedErrors.maskError`: expected errors keep their code, the rest are masked. */
export function maskTiendoError(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (!isTiendoError(original)) return maskError(error, message, isDev);
  const where = error instanceof GraphQLError ? error : undefined;
  return new GraphQLError(original.message, {
    ...(where?.nodes && { nodes: where.nodes }),
    ...(where?.path && { path: where.path }),
    extensions: tiendoExtensions(original),
  });
}

/**
 * The resolver, with a FORBIDDEN refusal kept (access_denials and the log: who, what, why) before it
 * goes back to the client.
 */
export function withDenialLog<S, C extends Pick<ApiContext, 'recordDenial'>, A>(
  resolve: GraphQLFieldResolver<S, C, A>,
): GraphQLFieldResolver<S, C, A> {
  return async (source, args, ctx, info) => {
    try {
      return await resolve(source, args, ctx, info);
    } catch (error) {
      if (isTiendoError(error) && error.code === 'FORBIDDEN') {
        await ctx.recordDenial({
          operation: `${info.operation.operation} ${info.fieldName}`,
          ...(typeof error.details.command === 'string' && { commandType: error.details.command }),
          ...targetOf(args),
          reason: error.reason || error.code,
          message: error.message,
        });
      }
      throw error;
    }
  };
}

/** The project (or plan, user, token) an operation's arguments name. */
function targetOf(args: unknown): { target?: string } {
  const a = (args ?? {}) as Record<string, unknown>;
  const data = ((a.input as Record<string, unknown> | undefined)?.data ?? a.input ?? {}) as Record<
    string,
    unknown
  >;
  const id =
    a.id ??
    a.projectId ??
    targetOfData(data) ??
    (a.province !== undefined ? `${a.province}/${a.year}` : undefined);
  return typeof id === 'string' ? { target: id } : {};
}
