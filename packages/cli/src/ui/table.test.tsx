import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { customerColumns, customerRow } from '../output/format.js';
import { aCustomer } from '../test-support/fixtures.js';
import { textWidth } from '../output/text-width.js';
import { RecordView } from './record-view.js';
import { Table } from './table.js';

const lines = (frame: string | undefined) => (frame ?? '').split('\n');

describe('Table', () => {
  it('draws a header and one line per row, columns aligned even with CJK text', () => {
    const columns = [
      { key: 'name', header: 'Name' },
      { key: 'company', header: 'Company' },
    ];
    const rows = [
      { name: { text: '张三' }, company: { text: '星辰科技' } },
      { name: { text: 'Alexander' }, company: { text: 'ACME' } },
    ];
    const out = lines(render(<Table columns={columns} rows={rows} />).lastFrame());
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^Name\s+Company/);
    // "Company" starts in the same terminal cell on every line.
    const companyAt = (line: string, word: string) => textWidth(line.slice(0, line.indexOf(word)));
    expect(companyAt(out[1]!, '星辰科技')).toBe(companyAt(out[0]!, 'Company'));
    expect(companyAt(out[2]!, 'ACME')).toBe(companyAt(out[0]!, 'Company'));
  });

  it('keeps a row with empty cells on its line', () => {
    const columns = [
      { key: 'a', header: 'A' },
      { key: 'b', header: 'B' },
    ];
    const rows = [{ a: { text: '' }, b: { text: 'x' } }, { a: { text: 'y' }, b: { text: '' } }];
    const out = lines(render(<Table columns={columns} rows={rows} />).lastFrame());
    expect(out).toHaveLength(3);
    expect(out[1]!.trim()).toBe('x');
    expect(out[2]!.trim()).toBe('y');
  });

  it('shows customers with the standard columns, whole ids and phones, cutting long names', () => {
    const customer = aCustomer({ name: 'A very long customer name that goes on and on' });
    const out = render(<Table columns={customerColumns('en')} rows={[customerRow(customer)]} />).lastFrame() ?? '';
    const [header, row] = lines(out);
    // 100 columns are too few for everything: the name and company give up room, never the id or phone.
    expect(header).toMatch(/^Name\s+Com.*Primary phone\s+Status\s+.*Updated at\s+ID$/);
    expect(row).toContain('+8613800138000');
    expect(row).toContain(customer.id);
    expect(row).toMatch(/^A ve…/);
    expect(textWidth(header!)).toBeLessThanOrEqual(100);
    expect(textWidth(row!)).toBeLessThanOrEqual(100);
    const wide = lines(render(<Table columns={customerColumns('en')} rows={[customerRow(customer)]} width={200} />).lastFrame());
    expect(wide[1]).toMatch(/^A very long customer na… +星辰科技 /);
  });
});

describe('RecordView', () => {
  it('lines values up after their labels', () => {
    const out = lines(
      render(
        <RecordView
          fields={[
            { label: '客户名称', value: { text: '张三' } },
            { label: 'ID', value: { text: 'c-1' } },
          ]}
        />,
      ).lastFrame(),
    );
    expect(out).toHaveLength(2);
    expect(textWidth(out[0]!.slice(0, out[0]!.indexOf('张三')))).toBe(textWidth(out[1]!.slice(0, out[1]!.indexOf('c-1'))));
  });
});
