import BetterSqlite3 from 'better-sqlite3';
import { nameGramsOf } from '@telecrm/core';
import { v7 as uuidv7 } from 'uuid';
import { openImportRows } from '../../import/readers/import-file.js';
import { startCheckpointer } from '../../store/checkpointer.js';

// A second floor for the import benchmark: the generated list written straight into the CRM's own
// tables (customers with their indexes, numbers, name grams, tags) with prepared statements in
// transactions of the same size, and nothing else: no checks, no normalisation, no dedup, no job.
// What SQLite costs for this schema, to see how much of an import is SQLite and how much is ours.

export async function plainInsert(file: string, csv: string, batchRows: number): Promise<number> {
  const opened = await openImportRows(csv, 'csv', {});
  if (!opened.ok) throw new Error(opened.error.code);
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.pragma('foreign_keys = ON');
  // Checkpointed the way the API's store is, so that the two differ only in what runs per row.
  const checkpointer = startCheckpointer(db, file);
  const now = new Date().toISOString();
  const customer = db.prepare(
    `insert into customers (id, name, company, primary_phone, source, industry, remark, pool, custom, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, 'public', '{}', ?, ?)`,
  );
  const phone = db.prepare('insert into customer_phones (e164, customer_id, position) values (?, ?, 0) on conflict do nothing');
  const gram = db.prepare('insert into customer_name_grams (gram, customer_id) values (?, ?) on conflict do nothing');
  const tag = db.prepare('insert into customer_tags (customer_id, tag) values (?, ?) on conflict do nothing');
  const write = db.transaction((rows: (string | null)[][]) => {
    for (const [name, number, company, source, industry, tags, remark] of rows) {
      const id = uuidv7();
      const e164 = `+86${number}`;
      customer.run(id, name || number, company || null, e164, source || null, industry || null, remark || null, now, now);
      phone.run(e164, id);
      for (const g of nameGramsOf(name || '')) gram.run(g, id);
      for (const t of (tags || '').split(',').filter(Boolean)) tag.run(id, t);
    }
  });
  const started = process.hrtime.bigint();
  let batch: (string | null)[][] = [];
  for await (const row of opened.value.rows()) {
    if (row.rowNumber === 1) continue;
    batch.push(row.cells.map((c) => (c === null || c === undefined ? null : String(c))));
    if (batch.length >= batchRows) {
      // As the API's driver does before each transaction: a long log starts over.
      checkpointer.beforeWrite();
      write(batch);
      batch = [];
    }
  }
  checkpointer.beforeWrite();
  write(batch);
  // Timed up to the last commit, as the import is (its store closes after the clock stops).
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await checkpointer.stop();
  db.close();
  return seconds;
}
