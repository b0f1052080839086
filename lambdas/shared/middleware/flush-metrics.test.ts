import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { metrics } from '../observability';
import { flushMetrics } from './flush-metrics';

describe('flushMetrics', () => {
  afterEach(() => vi.restoreAllMocks());

  it('publishes what an invocation recorded, when it succeeds and when it fails', async () => {
    const publish = vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    vi.spyOn(metrics, 'hasStoredMetrics').mockReturnValue(true);
    const ok = middy(async () => 'done').use(flushMetrics());
    await ok({}, {} as never);
    const failing = middy(async (): Promise<never> => {
      metrics.addMetric('Tried', MetricUnit.Count, 1);
      throw new Error('boom');
    }).use(flushMetrics());
    await expect(failing({}, {} as never)).rejects.toThrow('boom');
    expect(publish).toHaveBeenCalledTimes(2);
  });

  it('publishes nothing when nothing was recorded (no empty metric document)', async () => {
    const publish = vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    vi.spyOn(metrics, 'hasStoredMetrics').mockReturnValue(false);
    await middy(async () => 'done').use(flushMetrics())({}, {} as never);
    expect(publish).not.toHaveBeenCalled();
  });
});
