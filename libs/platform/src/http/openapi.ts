import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/** OpenAPI schema of one entry of a problem document's `errors`. */
export class FieldErrorSchema {
  @ApiProperty({ example: 'fabric.widthCm', description: 'dotted path of the bad field, or the header or parameter name' })
  field!: string;

  @ApiProperty({ example: 'widthCm must not be greater than 400' })
  message!: string;
}

/** OpenAPI schema of an RFC 9457 problem document, the shape of every error answer. */
export class ProblemSchema {
  @ApiProperty({ example: 'https://cloudloom.dev/problems/validation-failed' }) type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiPropertyOptional({ example: 'Invalid request: fabric.widthCm' }) detail?: string;
  @ApiPropertyOptional({ example: '/api/v1/orders' }) instance?: string;
  @ApiPropertyOptional({ example: 'VALIDATION_FAILED' }) code?: string;
  @ApiPropertyOptional({ type: [FieldErrorSchema], description: 'present on 400: one entry per bad field' }) errors?: FieldErrorSchema[];
  @ApiPropertyOptional({ example: '3f1c2d9e-7b1a-4d55-9a0e-2f6f3c1b8a90', description: 'also in the X-Request-Id header and in every log line of the request' })
  requestId?: string;
}

const EXAMPLES: Record<number, { description: string; example: Record<string, unknown> }> = {
  400: {
    description: 'Invalid input: every bad field is named in `errors`; unknown fields are refused',
    example: { type: 'https://cloudloom.dev/problems/validation-failed', title: 'Bad Request', status: 400, detail: 'Invalid request: quantity, colour', code: 'VALIDATION_FAILED', errors: [{ field: 'quantity', message: 'quantity must not be less than 1' }, { field: 'colour', message: 'colour should not exist' }] },
  },
  401: {
    description: 'No API key or session, an unknown one, a revoked key or an ended session',
    example: { type: 'https://cloudloom.dev/problems/unauthorized', title: 'Unauthorized', status: 401, detail: 'A valid API key is required: Authorization: Bearer <key>', code: 'UNAUTHORIZED' },
  },
  403: {
    description: 'Signed in as a person whose role may not do this (a viewer changes nothing), or a changing request made with a session cookie without its X-CSRF-Token',
    example: { type: 'https://cloudloom.dev/problems/forbidden', title: 'Forbidden', status: 403, detail: 'Your role (viewer) may not do this', code: 'FORBIDDEN' },
  },
  404: {
    description: 'Not found, or not yours, or a route for another kind of organization: the three look the same',
    example: { type: 'https://cloudloom.dev/problems/not-found', title: 'Not Found', status: 404, detail: 'Not found', code: 'NOT_FOUND' },
  },
  409: {
    description: 'The object is in a state that does not allow this',
    example: { type: 'https://cloudloom.dev/problems/invalid-transition', title: 'Conflict', status: 409, detail: 'This offer is accepted; it cannot be rejected', code: 'INVALID_TRANSITION' },
  },
  422: {
    description: 'An Idempotency-Key already used with a different body',
    example: { type: 'https://cloudloom.dev/problems/idempotency-key-reused', title: 'Unprocessable Entity', status: 422, detail: 'This Idempotency-Key was used for a different order', code: 'IDEMPOTENCY_KEY_REUSED', errors: [{ field: 'Idempotency-Key', message: 'already used with a different body' }] },
  },
  413: {
    description: 'The body is larger than the configured limit',
    example: { type: 'about:blank', title: 'Payload Too Large', status: 413, detail: 'The request body is too large' },
  },
  415: {
    description: 'A body that is not JSON',
    example: { type: 'https://cloudloom.dev/problems/unsupported-media-type', title: 'Unsupported Media Type', status: 415, detail: 'Send the body as application/json', code: 'UNSUPPORTED_MEDIA_TYPE' },
  },
  429: {
    description: 'Rate limit reached; `Retry-After` says how many seconds to wait',
    example: { type: 'https://cloudloom.dev/problems/rate-limited', title: 'Too Many Requests', status: 429, detail: 'Rate limit reached: 600 requests per 60 s for this API key', code: 'RATE_LIMITED' },
  },
  500: {
    description: 'An unexpected error: the answer carries only a request id',
    example: { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred; quote the request id when reporting it.', requestId: '3f1c2d9e-7b1a-4d55-9a0e-2f6f3c1b8a90' },
  },
};

/** Documents the problem answers an operation can give, with the problem schema and an example each. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemSchema, FieldErrorSchema),
    ...statuses.map((status) => {
      const doc = EXAMPLES[status] ?? { description: 'Error', example: { status } };
      return ApiResponse({
        status,
        description: doc.description,
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemSchema) }, example: doc.example } },
      });
    }),
  );
}
