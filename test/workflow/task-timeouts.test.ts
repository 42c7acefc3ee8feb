/** Task timeouts as local mode runs the template's state machines: the template's own, and none where it sets none. */
import { synthesizeTemplates } from '../../local/runtime/template/synth';
import { TemplateResolver } from '../../local/runtime/template/resolver';
import { LocalWorkflow, withoutImplicitTaskTimeouts } from '../../local/runtime/step-functions/runner';

/** Every Task state of a definition, nested ones (Map item processors) included, with its resource and timeout. */
function tasks(node: unknown, found: { resource: string; timeout: unknown }[] = []): { resource: string; timeout: unknown }[] {
  if (Array.isArray(node)) for (const item of node) tasks(item, found);
  else if (node !== null && typeof node === 'object') {
    const state = node as Record<string, unknown>;
    if (state.Type === 'Task') found.push({ resource: String(state.Resource), timeout: state.TimeoutSeconds });
    for (const value of Object.values(state)) tasks(value, found);
  }
  return found;
}

test('a child execution with no TimeoutSeconds runs without a timeout, while each Lambda step keeps its 60 s', () => {
  const template = synthesizeTemplates().enrollment;
  const workflow = new LocalWorkflow(new TemplateResolver(template, { account: '111111111111', region: 'us-east-1' }));
  const before = tasks(workflow.definition);
  const after = tasks(withoutImplicitTaskTimeouts(workflow.definition));
  const children = after.filter((t) => t.resource.includes('states:startExecution.sync'));
  expect(children.length).toBeGreaterThan(0);
  expect(before.filter((t) => t.resource.includes('states:startExecution.sync')).map((t) => t.timeout)).toEqual(children.map(() => undefined));
  // The longest a Node timer waits (about 24.8 days): past the state machine's own 1-hour timeout.
  for (const child of children) expect(child.timeout).toBe(2_147_483);
  const lambdaTasks = after.filter((t) => !t.resource.includes('states:startExecution'));
  expect(lambdaTasks.length).toBeGreaterThan(0);
  for (const task of lambdaTasks) expect(task.timeout).toBe(60);
});
