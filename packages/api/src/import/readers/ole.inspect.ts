import { open, type FileHandle } from 'node:fs/promises';
import { err, ok, type DomainError, type Result } from '@telecrm/core';
import { unreadable } from './readers.errors.js';

/**
 * What an OLE compound file (MS-CFB) holds, as far as an import cares: `encrypted` (a password-protected
 * xlsx, stored as EncryptionInfo + EncryptedPackage streams, or a legacy xls whose workbook stream opens
 * with a FilePass record), `xls` (a legacy workbook), `other` (a Word file, an Outlook message ...).
 */
export type OleContent = 'encrypted' | 'xls' | 'other';

const END_OF_CHAIN = 0xfffffffe;
const HEADER_BYTES = 512;
const ENTRY_BYTES = 128;
const HEADER_DIFAT_SLOTS = 109;
const MINI_SECTOR_BYTES = 64;
// Ceilings that only a damaged or hostile file reaches; they keep a looping chain from running forever.
const MAX_DIRECTORY_SECTORS = 4096;
const MAX_DIFAT_SECTORS = 4096;

const BIFF_BOF = new Set([0x0809, 0x0409, 0x0209, 0x0009]);
const BIFF_FILEPASS = 0x002f;

interface DirectoryEntry {
  name: string;
  /** 1 storage, 2 stream, 5 root. */
  type: number;
  start: number;
  size: number;
}

class CompoundFile {
  private readonly sectorBytes: number;
  private readonly sectorCount: number;
  private readonly miniCutoff: number;
  private fatSectors: number[] | undefined;
  private readonly fatCache = new Map<number, Buffer>();

  constructor(
    private readonly file: FileHandle,
    private readonly header: Buffer,
    fileSize: number,
  ) {
    const shift = header.readUInt16LE(30);
    if (header.readUInt16LE(28) !== 0xfffe || (shift !== 9 && shift !== 12)) throw new Error('damaged compound file header');
    this.sectorBytes = 1 << shift;
    this.sectorCount = Math.floor((fileSize - this.sectorBytes) / this.sectorBytes) + 1;
    this.miniCutoff = header.readUInt32LE(56);
  }

  private async read(position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.file.read(buffer, 0, length, position);
    if (bytesRead < length) throw new Error('compound file is truncated');
    return buffer;
  }

  private async sector(id: number): Promise<Buffer> {
    if (id >= this.sectorCount) throw new Error(`sector ${id} is outside the file`);
    return this.read((id + 1) * this.sectorBytes, this.sectorBytes);
  }

  // The FAT sector ids: 109 in the header, the rest in a chain of DIFAT sectors.
  private async fatSectorIds(): Promise<number[]> {
    if (this.fatSectors) return this.fatSectors;
    const count = this.header.readUInt32LE(44);
    const ids: number[] = [];
    for (let i = 0; i < HEADER_DIFAT_SLOTS && ids.length < count; i++) ids.push(this.header.readUInt32LE(76 + i * 4));
    const perSector = this.sectorBytes / 4 - 1;
    let next = this.header.readUInt32LE(68);
    for (let hops = 0; ids.length < count && next !== END_OF_CHAIN && hops < MAX_DIFAT_SECTORS; hops++) {
      const difat = await this.sector(next);
      for (let i = 0; i < perSector && ids.length < count; i++) ids.push(difat.readUInt32LE(i * 4));
      next = difat.readUInt32LE(perSector * 4);
    }
    this.fatSectors = ids;
    return ids;
  }

  private async nextSector(id: number): Promise<number> {
    const perSector = this.sectorBytes / 4;
    const index = Math.floor(id / perSector);
    let fat = this.fatCache.get(index);
    if (!fat) {
      const fatId = (await this.fatSectorIds())[index];
      if (fatId === undefined) throw new Error(`sector ${id} is not in the allocation table`);
      fat = await this.sector(fatId);
      this.fatCache.set(index, fat);
    }
    return fat.readUInt32LE((id % perSector) * 4);
  }

  async directory(): Promise<DirectoryEntry[]> {
    const entries: DirectoryEntry[] = [];
    let id = this.header.readUInt32LE(48);
    for (let hops = 0; id !== END_OF_CHAIN; hops++) {
      if (hops >= MAX_DIRECTORY_SECTORS) throw new Error('the directory of the compound file loops');
      const sector = await this.sector(id);
      for (let at = 0; at < this.sectorBytes; at += ENTRY_BYTES) {
        const type = sector[at + 66]!;
        if (type === 0) continue;
        const nameBytes = Math.min(sector.readUInt16LE(at + 64), 64);
        entries.push({
          name: sector.toString('utf16le', at, at + Math.max(nameBytes - 2, 0)),
          type,
          start: sector.readUInt32LE(at + 116),
          size: sector.readUInt32LE(at + 120),
        });
      }
      id = await this.nextSector(id);
    }
    return entries;
  }

  /** The first 64 bytes of a stream, from the mini stream when it is small. */
  async streamHead(entry: DirectoryEntry, root: DirectoryEntry): Promise<Buffer> {
    if (entry.size >= this.miniCutoff) return (await this.sector(entry.start)).subarray(0, MINI_SECTOR_BYTES);
    // Small streams live in 64-byte mini sectors inside the root entry's stream.
    const position = entry.start * MINI_SECTOR_BYTES;
    if (position >= root.size || root.size > this.sectorCount * this.sectorBytes) throw new Error('a stream lies outside the mini stream');
    let id = root.start;
    for (let hops = Math.floor(position / this.sectorBytes); hops > 0; hops--) id = await this.nextSector(id);
    const offset = position % this.sectorBytes;
    return (await this.sector(id)).subarray(offset, offset + MINI_SECTOR_BYTES);
  }
}

// A BIFF workbook stream opens with BOF; FilePass, when the workbook has a password, is the next record.
function opensWithFilePass(head: Buffer): boolean {
  if (head.length < 8 || !BIFF_BOF.has(head.readUInt16LE(0))) return false;
  const next = 4 + head.readUInt16LE(2);
  return next + 2 <= head.length && head.readUInt16LE(next) === BIFF_FILEPASS;
}

/** Reads the directory of a compound file (and the first bytes of its workbook stream) to say what it is. */
export async function inspectOleFile(path: string): Promise<Result<OleContent, DomainError>> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await file.read(header, 0, HEADER_BYTES, 0);
    if (bytesRead < HEADER_BYTES) return err(unreadable('compound file is truncated'));
    const cfb = new CompoundFile(file, header, size);
    const entries = await cfb.directory();
    const streams = entries.filter((e) => e.type === 2);
    // Directory names compare without case (MS-CFB 2.6.4).
    const named = (name: string) => streams.find((e) => e.name.toLowerCase() === name.toLowerCase());
    if (named('EncryptionInfo') || named('EncryptedPackage')) return ok('encrypted');
    const workbook = named('Workbook') ?? named('Book');
    if (!workbook) return ok('other');
    const root = entries.find((e) => e.type === 5);
    if (!root) throw new Error('the compound file has no root entry');
    return ok(opensWithFilePass(await cfb.streamHead(workbook, root)) ? 'encrypted' : 'xls');
  } catch (e) {
    return err(unreadable(e));
  } finally {
    await file.close();
  }
}
