/** The types a caller of the local API Gateway deals with. */
import type { CfnTemplate } from '../runtime/template/synth';
import type { TemplateResolver } from '../runtime/template/resolver';
import type { IamCallers } from './sigv4-auth';

/** A backend answer in the AWS service's own protocol (e.g. Step Functions' JSON 1.0). */
export interface AwsServiceResponse {
  statusCode: number;
  body: string;
}

/**
 * Performs an AWS integration's call: `service` and `action` come from the integration's Uri
 * (`arn:aws:apigateway:<region>:<service>:action/<Action>`), `body` is the rendered request
 * template. Throwing stands for API Gateway failing to call the service (it answers 500).
 */
/** Calls an AWS action as API Gateway does for an integration, with its credentials role (when it has one). */
export type CallAws = (service: string, action: string, body: string, credentials?: string) => Promise<AwsServiceResponse>;

export interface LocalApiOptions {
  /** The synthesized template holding the REST API. */
  readonly template: CfnTemplate;
  /** Resolves the template's intrinsics against the pretend deployment. */
  readonly resolver: TemplateResolver;
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** The value callers must send in `x-api-key` to methods that require a key. */
  readonly apiKey: string;
  readonly callAws: CallAws;
  /**
   * The credentials and IAM evaluation behind AWS_IAM methods (sigv4-auth.ts); required when the
   * template has any, since local mode never lets an unsigned request through such a method.
   */
  readonly iamCallers?: IamCallers;
  /** Receives each request's access log line (the stage's `AccessLogSetting.Format`, rendered). */
  readonly onAccessLog?: (line: string) => void;
  /**
   * Receives what API Gateway would write to its execution log when it fails a request on its side
   * (a template that cannot render, a backend call that throws). @default written to stderr
   */
  readonly onExecutionError?: (requestId: string, detail: string) => void;
  /** Which REST API to serve when the template has several. */
  readonly restApiLogicalId?: string;
  /** Which stage to serve when the API has several. */
  readonly stageName?: string;
}

/** A running local API. */
export interface LocalApi {
  /** Base URL without the stage, e.g. `http://127.0.0.1:49152`; routes live under `/<stage>`. */
  readonly url: string;
  readonly port: number;
  /** The stage the routes live under, e.g. `v1`. */
  readonly stageName: string;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
}
