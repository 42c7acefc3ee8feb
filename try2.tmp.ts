import { synthesizeTemplates } from '/work/main/local/synth';
const t = synthesizeTemplates().enrollment;
for (const [id, r] of Object.entries(t.Resources)) if (r.Type === 'AWS::IAM::Role') console.log(id, JSON.stringify((r.Properties as any).AssumeRolePolicyDocument), (r.Properties as any).RoleName ?? '');
