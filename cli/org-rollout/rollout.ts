/**
 * The Organizations rollout (issue 5, point 4): list the organization's ACTIVE accounts, then per
 * region designate the GuardDuty delegated administrator, make sure it has a detector, set
 * auto-enable and create the members in batches of 50. The order of the article
 * (shared/reference/guardduty-organizations-rollout-article.txt: designate, create members,
 * auto-enable) is kept except that auto-enable comes before CreateMembers: "When you use
 * CreateMembers as an Organizations delegated administrator, GuardDuty applies your organization's
 * auto-enable settings to the member accounts in this request" (CreateMembers API reference), so
 * the features asked for reach the accounts added now, not only later ones.
 *
 * Every step reads before it writes, so a second run makes no mutating call.
 */
import { GetDetectorCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describeOrganization, listAccounts } from './accounts';
import type { ActiveAccount } from './accounts';
import { assumeRoleProvider } from './admin-credentials';
import { ensureAdminDetector } from './admin-detector';
import type { SettlePolicy } from './admin-detector';
import { ensureDelegatedAdmin } from './delegated-admin';
import { RolloutError, describeError } from './errors';
import { createMembersInBatches, isAssociatedStatus, listAllMembers } from './members';
import { ensureAutoEnable } from './organization-config';
import { defaultRetryPolicy, errorCode, withRetry } from './retry';
import type { RetryPolicy } from './retry';
import type { CredentialsProvider, Log, RegionReport, RolloutClients, RolloutOptions, RolloutReport, Sleep, SkippedAccount } from './types';

/** What the rollout needs besides its options. */
export interface RolloutDependencies {
  clients: RolloutClients;
  sleep: Sleep;
  log?: Log;
  /** Overrides of the retry policy (tests shorten it). */
  retry?: Partial<RetryPolicy>;
  /** How long to wait for the detector a fresh designation creates. */
  settle?: SettlePolicy;
}

/** Default wait for the designation's detector: 10 polls, 3 s apart (SRA polls after designating; docs/aws-facts.md, pain point 2). */
const DEFAULT_SETTLE: SettlePolicy = { attempts: 10, delayMs: 3000 };

/**
 * Right after a designation the new administrator's calls can be refused with the "you do not have
 * required AWS Organization master permission" text until the designation has settled (SRA #141,
 * docs/aws-facts.md, pain point 2). Retried within the usual bound only after this run designated.
 */
function isNotYetAdministrator(error: unknown): boolean {
  const { name, message } = errorCode(error);
  return name === 'BadRequestException' && /master permission/i.test(message);
}

/** Runs the rollout. Throws {@link RolloutError} when nothing can be done (wrong caller, unknown administrator). */
export async function runRollout(options: RolloutOptions, deps: RolloutDependencies): Promise<RolloutReport> {
  const retry: RetryPolicy = { ...defaultRetryPolicy(deps.sleep), ...deps.retry };
  const log: Log = deps.log ?? (() => undefined);
  const { clients } = deps;

  const organization = await describeOrganization(clients.organizations, retry);
  const identity = await withRetry(() => clients.sts.send(new GetCallerIdentityCommand({})), retry);
  if (identity.Account !== organization.managementAccountId) {
    throw new RolloutError(
      `The credentials in use are those of account ${identity.Account}, not of the management account ${organization.managementAccountId} ` +
        `of organization ${organization.organizationId}. Only the management account can list the organization's accounts and designate ` +
        "the GuardDuty delegated administrator: run org-rollout with the management account's credentials.",
    );
  }
  const inventory = await listAccounts(clients.organizations, retry);
  log(`Organization ${organization.organizationId}: ${inventory.listed} accounts, ${inventory.active.length} ACTIVE, ${inventory.skipped.length} skipped.`);
  const adminId = options.delegatedAdminId;
  if (!inventory.active.some((account) => account.accountId === adminId)) {
    const skipped = inventory.skipped.find((account) => account.accountId === adminId);
    throw new RolloutError(
      skipped
        ? `The delegated administrator ${adminId} cannot be used: ${skipped.reason}.`
        : `Account ${adminId} is not an account of organization ${organization.organizationId}; the delegated administrator must be one.`,
    );
  }

  // The management account can itself be the delegated administrator ("not recommended", user
  // guide): its own credentials then act for both roles, as no role in it trusts itself.
  let adminCredentials: CredentialsProvider | undefined;
  if (adminId !== organization.managementAccountId) {
    adminCredentials = assumeRoleProvider(clients.sts, adminId, options.adminRoleName, retry);
    await adminCredentials(); // fail now, once, rather than in every region
  }

  const candidates = inventory.active.filter((account) => account.accountId !== adminId);
  const skipped: SkippedAccount[] = [...inventory.skipped, { accountId: adminId, reason: 'delegated administrator (an account cannot be a member of itself)' }];
  const regions: RegionReport[] = [];
  for (const region of options.regions) {
    const report = await rolloutRegion(region, {
      options,
      managementAccountId: organization.managementAccountId,
      clients,
      adminCredentials,
      candidates,
      skipped,
      retry,
      settle: deps.settle ?? DEFAULT_SETTLE,
      log,
    });
    log(`${region}: ${report.outcome}${report.error ? ` (${report.error})` : ''}`);
    regions.push(report);
  }
  return {
    dryRun: options.dryRun,
    organizationId: organization.organizationId,
    managementAccountId: organization.managementAccountId,
    delegatedAdminId: adminId,
    accounts: { listed: inventory.listed, active: inventory.active.length, skipped: inventory.skipped },
    regions,
    ok: regions.every((report) => report.outcome === 'succeeded' || report.outcome === 'planned'),
  };
}

interface RegionContext {
  options: RolloutOptions;
  managementAccountId: string;
  clients: RolloutClients;
  adminCredentials: CredentialsProvider | undefined;
  candidates: ActiveAccount[];
  skipped: SkippedAccount[];
  retry: RetryPolicy;
  settle: SettlePolicy;
  log: Log;
}

/**
 * One region. Designation and the administrator's detector are prerequisites: if either fails the
 * region stops (`failed`). Auto-enable and members are independent: a failure of one is reported
 * and the other still runs, so one re-run finishes the job.
 */
async function rolloutRegion(region: string, context: RegionContext): Promise<RegionReport> {
  const { options, clients, retry, log } = context;
  const report: RegionReport = {
    region,
    outcome: 'failed',
    delegatedAdministrator: 'not-done',
    detector: { action: 'not-done' },
    autoEnable: { action: 'not-done', mode: options.autoEnable, features: [...options.features] },
    members: { created: [], alreadyMembers: [], planned: [], createMembersCalls: 0 },
    skipped: context.skipped,
    failures: [],
    warnings: [],
  };
  const errors: string[] = [];
  try {
    report.delegatedAdministrator = await ensureDelegatedAdmin(clients.guardDuty(region), options.delegatedAdminId, options.dryRun, retry);
    log(`${region}: delegated administrator ${report.delegatedAdministrator}`);
    const justDesignated = report.delegatedAdministrator === 'designated';
    const adminRetry: RetryPolicy = justDesignated ? { ...retry, alsoRetry: isNotYetAdministrator } : retry;
    const admin = clients.guardDuty(region, context.adminCredentials);
    report.detector = await ensureAdminDetector(admin, { dryRun: options.dryRun, justDesignated, retry: adminRetry, settle: context.settle });
    const detectorId = report.detector.detectorId;
    const isAdministrator = report.delegatedAdministrator !== 'to-designate';

    try {
      report.autoEnable.action = await ensureAutoEnable(admin, isAdministrator ? detectorId : undefined, options, {
        dryRun: options.dryRun,
        retry: adminRetry,
      });
    } catch (error) {
      errors.push(`auto-enable not set: ${describeError(error)}`);
    }

    if (context.candidates.some((account) => account.accountId === context.managementAccountId)) {
      const warning = await managementDetectorWarning(clients, region, context.managementAccountId, retry);
      if (warning) report.warnings.push(warning);
    }

    const before = detectorId === undefined ? new Map<string, string>() : await listAllMembers(admin, detectorId, adminRetry);
    const toCreate = context.candidates.filter((account) => !isAssociatedStatus(before.get(account.accountId)));
    report.members.alreadyMembers = context.candidates.filter((account) => isAssociatedStatus(before.get(account.accountId))).map((a) => a.accountId);
    if (options.dryRun) {
      report.members.planned = toCreate.map((account) => account.accountId);
    } else if (toCreate.length > 0 && detectorId !== undefined) {
      log(`${region}: creating ${toCreate.length} members`);
      const outcome = await createMembersInBatches(admin, detectorId, toCreate, before, adminRetry);
      report.members.created = outcome.created;
      report.members.alreadyMembers.push(...outcome.alreadyMembers);
      report.members.createMembersCalls = outcome.calls;
      report.failures = outcome.failures;
    }
  } catch (error) {
    errors.push(describeError(error));
  }
  if (errors.length > 0) report.error = errors.join('; ');
  report.outcome = outcomeOf(report, options.dryRun);
  return report;
}

/**
 * The management account is the one organization account the delegated administrator cannot
 * enable: "Accounts added as members will have GuardDuty enabled in that region, with the exception
 * of the organization management account, which must first enable GuardDuty before it can be added
 * as a member account" (user guide, guardduty_organizations). Read-only check from the management
 * account, so the plan and the report say what to do; CreateMembers is still called for it, and
 * its answer (docs/aws-facts.md, 4.4) is reported as is.
 */
async function managementDetectorWarning(
  clients: RolloutClients,
  region: string,
  managementAccountId: string,
  retry: RetryPolicy,
): Promise<string | undefined> {
  const management = clients.guardDuty(region);
  const { DetectorIds: ids } = await withRetry(() => management.send(new ListDetectorsCommand({})), retry);
  const detectorId = ids?.[0];
  const enabled =
    detectorId !== undefined && (await withRetry(() => management.send(new GetDetectorCommand({ DetectorId: detectorId })), retry)).Status === 'ENABLED';
  if (enabled) return undefined;
  return (
    `The management account ${managementAccountId} has no enabled GuardDuty detector in ${region}; GuardDuty will not add it as a member ` +
    'until it has one. Enable GuardDuty there with the management account (CreateDetector, or UpdateDetector --enable), then run again.'
  );
}

function outcomeOf(report: RegionReport, dryRun: boolean): RegionReport['outcome'] {
  const didSomething = report.members.created.length > 0 || report.members.alreadyMembers.length > 0;
  if (report.error !== undefined) return didSomething && report.detector.action !== 'not-done' ? 'partial' : 'failed';
  if (dryRun) return 'planned';
  return report.failures.length > 0 ? 'partial' : 'succeeded';
}
