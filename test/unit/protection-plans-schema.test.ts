/**
 * The API model's protectionPlans schema and the rule the settings, events and Lambda steps use are
 * two encodings of one rule (contract/protection-plans.ts): on random plans they must agree.
 */
import Ajv from 'ajv';
import fc from 'fast-check';
import { ADMINISTRATOR_ONLY_FEATURES, MEMBER_FEATURES, RUNTIME_AGENTS, protectionPlansProblem, protectionPlansSchema } from '../../contract/protection-plans';

const validate = new Ajv({ allErrors: true, strict: false }).compile(protectionPlansSchema());

// Mostly valid pieces, so that plans breaking one rule only (both runtime features, a bad agent) come up often.
const status = fc.oneof(
  { arbitrary: fc.constantFrom('ENABLED', 'DISABLED'), weight: 8 },
  { arbitrary: fc.constantFrom('enabled', 'ON', '', 1, null, true), weight: 1 },
);
const agents = fc.dictionary(
  fc.oneof({ arbitrary: fc.constantFrom(...RUNTIME_AGENTS), weight: 6 }, { arbitrary: fc.constantFrom('GPU_AGENT', ''), weight: 1 }),
  status,
  { maxKeys: 4 },
);
const runtimeValue = fc.oneof(status, fc.record({ status, additionalConfiguration: agents }, { requiredKeys: [] }), fc.record({ status, extra: status }));
const name = fc.oneof(
  { arbitrary: fc.constantFrom(...MEMBER_FEATURES), weight: 12 },
  { arbitrary: fc.constantFrom(...ADMINISTRATOR_ONLY_FEATURES), weight: 1 },
  { arbitrary: fc.constantFrom('MACIE', 's3_data_events', '__proto__'), weight: 1 },
);
const plans = fc.dictionary(name, fc.oneof({ arbitrary: status, weight: 4 }, { arbitrary: runtimeValue, weight: 1 }), { maxKeys: 8 });

test('the API schema accepts exactly the plans protectionPlansProblem accepts', () => {
  fc.assert(
    fc.property(plans, (candidate) => {
      const json = JSON.parse(JSON.stringify(candidate)) as unknown;
      expect(validate(json)).toBe(protectionPlansProblem(json) === undefined);
    }),
    { numRuns: 2000 },
  );
});
