/** The rollout's report as text: the plan for a dry run, what happened per region otherwise. */
import type { RegionReport, RolloutReport } from './types';

const DESIGNATION: Record<RegionReport['delegatedAdministrator'], string> = {
  designated: 'designated now',
  'already-designated': 'already designated',
  'to-designate': 'would be designated (GuardDuty is then enabled for it)',
  'not-done': 'not done',
};

const DETECTOR: Record<RegionReport['detector']['action'], string> = {
  existing: 'existing',
  created: 'created',
  enabled: 're-enabled',
  'created-by-designation': 'created by the designation',
  'to-create': 'would be created',
  'to-enable': 'would be re-enabled',
  'not-done': 'not checked',
};

const AUTO_ENABLE: Record<RegionReport['autoEnable']['action'], string> = {
  updated: 'updated',
  unchanged: 'already set',
  'to-update': 'would be set',
  'not-done': 'not set',
};

/** At most this many account ids are listed per line; the JSON report has them all. */
const LIST_LIMIT = 10;

function ids(list: readonly string[]): string {
  if (list.length === 0) return '';
  const shown = list.slice(0, LIST_LIMIT).join(', ');
  return list.length > LIST_LIMIT ? ` (${shown}, … ${list.length - LIST_LIMIT} more)` : ` (${shown})`;
}

/** The report as lines of text. */
export function formatReport(report: RolloutReport): string {
  const lines: string[] = [];
  lines.push(
    `${report.dryRun ? 'PLAN (dry run, nothing changed)' : 'GuardDuty Organizations rollout'}: organization ${report.organizationId}, ` +
      `management account ${report.managementAccountId}, delegated administrator ${report.delegatedAdminId}`,
  );
  lines.push(`Accounts: ${report.accounts.listed} listed, ${report.accounts.active} ACTIVE, ${report.accounts.skipped.length} skipped`);
  for (const skipped of report.accounts.skipped) lines.push(`  skipped ${skipped.accountId}${skipped.name ? ` (${skipped.name})` : ''}: ${skipped.reason}`);
  for (const region of report.regions) lines.push('', ...formatRegion(region, report.dryRun));
  lines.push(
    '',
    report.ok
      ? report.dryRun
        ? 'Plan complete. Run again without --dry-run to apply it.'
        : 'Done: every region succeeded.'
      : 'Some regions did not complete; fix what is reported and run again (re-running is safe).',
  );
  return `${lines.join('\n')}\n`;
}

function formatRegion(region: RegionReport, dryRun: boolean): string[] {
  const features =
    region.autoEnable.features.length > 0 ? `, features ${region.autoEnable.features.map((name) => `${name}=${region.autoEnable.mode}`).join(', ')}` : '';
  const members = region.members;
  const lines = [
    `${region.region}: ${region.outcome.toUpperCase()}`,
    `  delegated administrator: ${DESIGNATION[region.delegatedAdministrator]}`,
    `  administrator detector: ${DETECTOR[region.detector.action]}${region.detector.detectorId ? ` (${region.detector.detectorId})` : ''}`,
    `  auto-enable ${region.autoEnable.mode}${features}: ${AUTO_ENABLE[region.autoEnable.action]}`,
  ];
  if (dryRun)
    lines.push(
      `  members: ${members.planned.length} to create in ${Math.ceil(members.planned.length / 50)} CreateMembers call(s)${ids(members.planned)}, ${members.alreadyMembers.length} already members`,
    );
  else {
    lines.push(
      `  members: ${members.created.length} created (${members.createMembersCalls} CreateMembers call(s)), ${members.alreadyMembers.length} already members, ${region.skipped.length} skipped, ${region.failures.length} failed`,
    );
  }
  for (const failure of region.failures) lines.push(`  failed ${failure.accountId}: ${failure.message}`);
  for (const warning of region.warnings) lines.push(`  warning: ${warning}`);
  if (region.error) lines.push(`  error: ${region.error}`);
  return lines;
}
