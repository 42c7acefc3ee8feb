/**
 * API Gateway's own answers to AWS_IAM requests that the clients, the OpenAPI document and local
 * mode all name (docs/aws-facts.md, "API Gateway access").
 */

/** A SigV4 signature that does not match the one API Gateway computes (wrong secret, changed request). */
export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
