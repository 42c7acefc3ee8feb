/**
 * The API's OpenAPI 3.0 document, for portal developers and code generators, built from the route
 * table (lib/api/route-table.ts) that API Gateway's methods are built from too. The request body
 * schemas are ENROLLMENT_REQUEST_SCHEMA and BATCH_REQUEST_SCHEMA, the very objects API Gateway's
 * models use; the response shapes are those the mapping templates (`lib/api/*.vtl`) write.
 *
 * `npm run openapi` writes it to `docs/openapi.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OpenAPIObject, PathsObject } from 'openapi3-ts/oas30';
import { MAX_ACCOUNTS_PER_BATCH } from '../../contract/api-rules';
import { componentSchemas } from './openapi-parts';
import { API_ROUTES } from './route-table';
import type { ApiRoute } from './route-table';

export { toOpenApiSchema } from './openapi-parts';
export type { SchemaObject } from './openapi-parts';

/** Where `npm run openapi` writes the document (committed, linked from the README). */
export const OPENAPI_FILE = path.join(__dirname, '..', '..', 'docs', 'openapi.json');

/** The `paths` of the document: each route's operation under its path and verb, paths in sorted order. */
export function pathsOf(routes: readonly ApiRoute[]): PathsObject {
  const paths: PathsObject = {};
  for (const route of [...routes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: { ...route.operation, parameters: [...route.operation.parameters] } };
  }
  return paths;
}

export function buildOpenApiDocument(): OpenAPIObject {
  const packageJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return {
    openapi: '3.0.3',
    info: {
      title: 'GuardDuty Enrollment API',
      version: packageJson.version,
      description:
        'Enrolls an AWS account as an Amazon GuardDuty member of the administrator account, by invitation, in each region asked for. ' +
        '`POST /enrollments` starts an enrollment and answers at once; `GET /enrollments/{enrollmentId}` reports it, region by region once it has stopped. ' +
        '`DELETE /enrollments/{accountId}` offboards an account, followed the same way. ' +
        `\`POST /enrollments/batch\` enrolls up to ${MAX_ACCOUNTS_PER_BATCH} accounts at once (JSON, or the GuardDuty console's CSV account list) with batched administrator calls; ` +
        "`GET /enrollments/batch/{batchId}` reports its counts per part, and each part's `outcomesUrl` the outcome of every account.",
    },
    servers: [
      {
        url: 'https://{restApiId}.execute-api.{region}.amazonaws.com/v1',
        description: 'A deployment: the stack output ApiUrl',
        variables: {
          restApiId: { default: 'abc123', description: 'The REST API id' },
          region: { default: 'us-east-1', description: 'The region of the administrator stack' },
        },
      },
      { url: 'http://127.0.0.1:3000/v1', description: 'Local mode (`npm start`)' },
    ],
    // Both schemes together (authorization 'iam', the default), or the key alone (authorization 'apiKey').
    security: [{ SigV4: [], ApiKey: [] }, { ApiKey: [] }],
    tags: [
      { name: 'enrollments', description: 'Enroll accounts, one or a batch at a time, and follow their enrollment' },
      { name: 'compatibility', description: 'The route of the earlier GuardDuty Signup API' },
      { name: 'fleet', description: 'Fleet checks: every member of every region, drift reported or repaired' },
    ],
    paths: pathsOf(API_ROUTES),
    components: {
      securitySchemes: {
        ApiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description:
            "An API key of the deployment's usage plan (stack output ApiKeyId names it). Required in both modes: it carries the usage plan's throttle and quota.",
        },
        SigV4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          'x-amazon-apigateway-authtype': 'awsSigv4',
          description:
            "AWS Signature Version 4 for service `execute-api` in the deployment's region (authorization 'iam', the default): the caller's identity policy must allow " +
            '`execute-api:Invoke` on the route and the API\'s resource policy must allow the caller. `curl --aws-sigv4 "aws:amz:<region>:execute-api"`, the AWS SDKs and `gde` sign.',
        },
      },
      schemas: componentSchemas(),
    },
  };
}

/** The document as `docs/openapi.json` holds it. */
export function openApiText(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(OPENAPI_FILE), { recursive: true });
  fs.writeFileSync(OPENAPI_FILE, openApiText());
  console.log(`Wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
}
