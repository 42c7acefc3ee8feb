/** What `gde status` and `gde enroll --wait` print about each region's protection plans and free-trial days. */
import type { EnrollmentView } from './types';

/**
 * One line per region that reports plans: each feature's status (with the reason when it is not as
 * wanted), then the remaining free-trial days GuardDuty reported, per feature.
 */
export function protectionPlanLines(view: EnrollmentView): string[] {
  const lines: string[] = [];
  for (const region of view.regions) {
    if (region.protectionPlans && region.protectionPlans.length > 0) {
      const plans = region.protectionPlans.map((p) => `${p.name} ${p.status}${p.reason ? ` (${p.reason})` : ''}`);
      lines.push(`${region.region} protection plans: ${plans.join(', ')}`);
    }
    if (region.freeTrial && region.freeTrial.length > 0) {
      lines.push(`${region.region} free trial: ${region.freeTrial.map((t) => `${t.name} ${t.daysRemaining} day(s) left`).join(', ')}`);
    }
  }
  return lines;
}
