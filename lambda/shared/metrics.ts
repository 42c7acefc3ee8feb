import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../../contract/metrics';

/**
 * The one Metrics instance of every step: CloudWatch embedded metric format on stdout, which
 * Lambda's log group turns into metrics (docs/aws-facts.md, "Metrics and alarms").
 */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });

/** Publishes `value` of `name` (a count) with the service dimension and `dimensions`, at once, as its own EMF document. */
export function publishCount(name: string, value: number, dimensions: Record<string, string> = {}): void {
  const single = metrics.singleMetric();
  for (const [key, dimensionValue] of Object.entries(dimensions)) single.addDimension(key, dimensionValue);
  single.addMetric(name, MetricUnit.Count, value);
}

export { MetricUnit };
