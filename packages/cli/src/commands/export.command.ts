import type { Command } from 'commander';
import { EXPORT_ENCODINGS, TABLE_FORMATS } from '@telecrm/core';
import { saveDownload, tableFormatOf } from '../client/file-transfer.js';
import { msg } from '../i18n/cli.messages.js';
import { formatBytes } from '../output/import-format.js';
import type { CommandHost } from './command-host.js';
import { listQuery } from './customers.command.js';
import { parseChoice, usageError } from './options.js';

interface ExportOptions {
  out?: string;
  format?: string;
  encoding?: string;
  view?: string;
  filter?: string;
  q?: string;
  sort?: string;
  fields?: string;
  deleted?: boolean;
}

export function registerExportCommand(program: Command, host: CommandHost): void {
  program
    .command('export')
    .description(host.t('cmd.export'))
    .option('--out <file>', host.t('opt.out'))
    .option('--format <format>', host.t('opt.tableFormat'))
    .option('--encoding <encoding>', host.t('opt.exportEncoding'))
    .option('--view <id>', host.t('opt.view'))
    .option('--filter <json>', host.t('opt.filter'))
    .option('--q <text>', host.t('opt.q'))
    .option('--sort <field:dir>', host.t('opt.sort'))
    .option('--fields <names>', host.t('opt.fields'))
    .option('--deleted', host.t('opt.exportDeleted'))
    .addHelpText('after', `\n${host.t('help.export.output')}`)
    .action(async (options: ExportOptions, command: Command) => {
      const ctx = host.context(command);
      if (options.out === undefined || options.out.trim() === '') throw usageError(ctx.lang, 'error.outRequired');
      const format = parseChoice('--format', options.format, TABLE_FORMATS, ctx.lang) ?? tableFormatOf(options.out);
      const encoding = parseChoice('--encoding', options.encoding, EXPORT_ENCODINGS, ctx.lang);
      if (encoding !== undefined && format !== 'csv') throw usageError(ctx.lang, 'error.encodingCsvOnly');
      // The same view, filter, search and sort as `customers list`, without its paging.
      const { limit: _limit, cursor: _cursor, ...selection } = listQuery(options, ctx.lang);
      const fields = options.fields?.split(',').map((f) => f.trim()).filter(Boolean).join(',') || undefined;
      const client = await ctx.client();
      const download = await client.exportCustomers({ ...selection, format, encoding, fields });
      const saved = await saveDownload(download, options.out, ctx.lang);
      await ctx.printer.done(msg(ctx.lang, 'export.saved', { file: saved.file, size: formatBytes(saved.bytes) }), saved);
    });
}
