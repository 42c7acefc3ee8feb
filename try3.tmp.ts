import { startLocalStack } from '/work/main/local/stack';
(async () => {
  const stack = await startLocalStack({ retryDelayMs: 5, lambdaLogLevel: 'SILENT' });
  const body = { accountId: '228037053299', email: 'aq=PfYjp+Ye`BB@aBOYIO.jI', regions: ['ap-southeast-2'], invitationMessage: '𝄞😀🛡'.repeat(100) };
  try {
    const r = await fetch(`${stack.apiUrl}/v1/enrollments`, { method: 'POST', headers: { 'x-api-key': stack.apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    console.log(r.status, await r.text());
  } catch (e) { console.log('ERR', e, (e as any).cause); }
  await stack.close();
})();
