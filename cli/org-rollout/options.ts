/** The `org-rollout` command line: parsing and checking, before any AWS call. */
import { parseArgs } from 'node:util';
import { OrgFeature } from '@aws-sdk/client-guardduty';
import type { AutoEnableMode, RolloutOptions } from './types';

/** The command line is wrong: nothing was called. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The role Organizations creates in accounts it creates (docs/aws-facts.md, 4.6; CreateAccount `RoleName` default). */
export const DEFAULT_ADMIN_ROLE = 'OrganizationAccountAccessRole';

/** Feature names UpdateOrganizationConfiguration accepts (model enum OrgFeature, from the installed SDK). */
export const ORG_FEATURE_NAMES: readonly string[] = Object.values(OrgFeature);

/** What the command line asked for, with `help` and `json` besides the rollout's options. */
export interface CommandLine {
  help: boolean;
  json: boolean;
  options: RolloutOptions | undefined;
}

/** `npm run org-rollout -- --help`. */
export const USAGE = `Usage: npm run org-rollout -- --regions us-east-1,eu-west-1 --delegated-admin 111111111111 [options]

Enrolls every ACTIVE account of the AWS Organizations organization into GuardDuty under a delegated
administrator, region by region: designates the delegated administrator (from the management
account), makes sure it has a detector, sets auto-enable for new accounts, and creates the members
in batches of 50. Re-running is safe: what is already done is left alone.

Run it with the management account's credentials (the SDK's default chain: environment, profile, SSO...).

Options:
  --regions R1,R2          regions to roll out in (required)
  --delegated-admin ID     12-digit id of the account to make GuardDuty delegated administrator (required)
  --auto-enable NEW|ALL    AutoEnableOrganizationMembers (default NEW: accounts that join later)
  --features F1,F2         features to auto-enable with the same value (${ORG_FEATURE_NAMES.join(', ')})
  --admin-role-name NAME   role assumed in the delegated administrator (default ${DEFAULT_ADMIN_ROLE});
                           not used when the delegated administrator is the management account itself
  --dry-run                print the plan; make no change
  --json                   print the report as JSON
  -h, --help               this text

Exit codes: 0 every region done (or planned), 1 a region or an account failed, 2 bad command line.`;

/** Parses argv (after the script name). @throws UsageError */
export function parseCommandLine(argv: string[]): CommandLine {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        regions: { type: 'string' },
        'delegated-admin': { type: 'string' },
        'auto-enable': { type: 'string' },
        features: { type: 'string' },
        'admin-role-name': { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const help = values.help === true;
  const json = values.json === true;
  if (help) return { help, json, options: undefined };
  return { help, json, options: readOptions(values) };
}

function readOptions(values: Record<string, string | boolean | undefined>): RolloutOptions {
  const regions = list(values.regions);
  if (regions.length === 0) throw new UsageError('--regions is required, e.g. --regions us-east-1,eu-west-1.');
  for (const region of regions) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new UsageError(`"${region}" is not a region name such as us-east-1.`);
  }
  const delegatedAdminId = values['delegated-admin'];
  if (typeof delegatedAdminId !== 'string' || !/^\d{12}$/.test(delegatedAdminId)) {
    throw new UsageError('--delegated-admin is required: the 12-digit id of the account to make GuardDuty delegated administrator.');
  }
  const autoEnable = (typeof values['auto-enable'] === 'string' ? values['auto-enable'] : 'NEW').toUpperCase();
  if (autoEnable !== 'NEW' && autoEnable !== 'ALL') throw new UsageError(`--auto-enable must be NEW or ALL; got "${values['auto-enable']}".`);
  const features = list(values.features).map((name) => name.toUpperCase());
  const unknown = features.filter((name) => !ORG_FEATURE_NAMES.includes(name));
  if (unknown.length > 0) throw new UsageError(`Unknown feature(s) ${unknown.join(', ')}. Known: ${ORG_FEATURE_NAMES.join(', ')}.`);
  // UpdateOrganizationConfiguration doc: specifying both runtime monitoring features is an error.
  if (features.includes('EKS_RUNTIME_MONITORING') && features.includes('RUNTIME_MONITORING')) {
    throw new UsageError('--features cannot name both EKS_RUNTIME_MONITORING and RUNTIME_MONITORING (RUNTIME_MONITORING already covers EKS).');
  }
  const adminRoleName = typeof values['admin-role-name'] === 'string' ? values['admin-role-name'] : DEFAULT_ADMIN_ROLE;
  // IAM role names: 1..64 of [\w+=,.@-].
  if (!/^[\w+=,.@-]{1,64}$/.test(adminRoleName)) throw new UsageError(`--admin-role-name "${adminRoleName}" is not an IAM role name.`);
  return {
    regions: [...new Set(regions)],
    delegatedAdminId,
    autoEnable: autoEnable as AutoEnableMode,
    features: [...new Set(features)] as RolloutOptions['features'],
    adminRoleName,
    dryRun: values['dry-run'] === true,
  };
}

function list(value: string | boolean | undefined): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
