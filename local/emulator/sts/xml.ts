/** The little XML the STS query protocol needs: escaping, elements, response and error envelopes. */

/** STS's XML namespace (model metadata `xmlNamespace`). */
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Escapes text for an XML element body. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** An element whose content is escaped text, or already-built child elements when `children` is an array. */
export function element(name: string, content: string | string[]): string {
  const inner = Array.isArray(content) ? content.join('') : escapeXml(content);
  return `<${name}>${inner}</${name}>`;
}

/** `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…</ResponseMetadata></ActionResponse>`. */
export function queryResponse(action: string, result: string[], requestId: string): string {
  return (
    `<${action}Response xmlns="${STS_NAMESPACE}">` +
    element(`${action}Result`, result) +
    element('ResponseMetadata', [element('RequestId', requestId)]) +
    `</${action}Response>`
  );
}

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function queryError(type: string, code: string, message: string, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${STS_NAMESPACE}">` +
    element('Error', [element('Type', type), element('Code', code), element('Message', message)]) +
    element('RequestId', requestId) +
    '</ErrorResponse>'
  );
}
