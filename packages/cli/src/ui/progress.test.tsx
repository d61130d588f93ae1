import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
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
