import { startLocalStack } from '/work/main/local/stack';
import { seedSampleOrganization } from '/work/main/local/sample-organization';
(async () => {
  const stack = await startLocalStack({ retryDelayMs: 5, lambdaLogLevel: 'SILENT' });
  await seedSampleOrganization(stack.emulatorUrl);
  const r = await fetch(`${stack.apiUrl}/v1/enrollments`, { method: 'POST', headers: { 'x-api-key': stack.apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ accountId: '222222222222', email: 'workloads-dev@example.com', regions: ['us-east-1'] }) });
  const started = await r.json() as any; console.log(r.status, started);
  for (let i = 0; i < 100; i++) {
    const s = await (await fetch(`${stack.apiUrl}/v1/enrollments/${started.enrollmentId}`, { headers: { 'x-api-key': stack.apiKey } })).json() as any;
    if (s.status !== 'RUNNING') { console.log(JSON.stringify(s, null, 1)); break; }
    await new Promise((res) => setTimeout(res, 100));
  }
  await stack.close();
})();
