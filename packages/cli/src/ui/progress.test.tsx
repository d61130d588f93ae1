import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { importProgressDetail } from '../output/import-format.js';
import { anImport } from '../test-support/fixtures.js';
import { ProgressBar } from './progress.js';

describe('ProgressBar', () => {
  it('fills in proportion and shows the count', () => {
    const out = render(<ProgressBar label="Import" done={25} total={100} width={20} />).lastFrame();
    expect(out).toBe(`Import ${'█'.repeat(5)}${'░'.repeat(15)} 25% (25/100)`);
  });

  it('copes with nothing to do and with overshoot', () => {
    expect(render(<ProgressBar label="x" done={0} total={0} width={4} />).lastFrame()).toBe('x ░░░░ 0% (0/0)');
    expect(render(<ProgressBar label="x" done={5} total={4} width={4} />).lastFrame()).toBe('x ████ 100% (5/4)');
  });
});

describe('ProgressBar with a detail', () => {
  it('shows the detail instead of the count, from a fraction', () => {
    const out = render(<ProgressBar label="Importing 名单.csv" done={0.5} total={1} width={10} detail="12,000 rows · 850 rows/s · 1:05 left" />).lastFrame();
    expect(out).toBe(`Importing 名单.csv ${'█'.repeat(5)}${'░'.repeat(5)} 50% 12,000 rows · 850 rows/s · 1:05 left`);
  });

  it('draws an import as it goes, from the job', () => {
    const job = { state: 'running' as const, counts: { ...anImport().counts, rows: 300 }, progress: { ...anImport().progress, fraction: 0.25, rowsPerSecond: 100, etaSeconds: 9 } };
    const out = render(<ProgressBar label="正在导入 名单.csv" done={job.progress.fraction} total={1} width={8} detail={importProgressDetail(job, 'zh-CN')} />).lastFrame();
    expect(out).toBe('正在导入 名单.csv ██░░░░░░ 25% 300 行 · 100 行/秒 · 剩余 0:09');
  });
});
