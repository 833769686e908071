import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Injection token: the folder holding the built graphiql.js and graphiql.css. */
export const GRAPHIQL_ASSETS_DIR = Symbol('GRAPHIQL_ASSETS_DIR');

export const GRAPHIQL_ASSET_FILES = ['graphiql.js', 'graphiql.css'] as const;
export type GraphiqlAssetFile = (typeof GRAPHIQL_ASSET_FILES)[number];

export const isGraphiqlAssetFile = (file: string): file is GraphiqlAssetFile =>
  (GRAPHIQL_ASSET_FILES as readonly string[]).includes(file);

// This file runs from src/ (ts-node, jest) and from dist/src/ (build), so the repo root is found
// by walking up to package.json rather than by a fixed number of '..'.
export function defaultGraphiqlAssetsDir(start: string = __dirname): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return join(process.cwd(), 'public', 'graphiql');
    dir = parent;
  }
  return join(dir, 'public', 'graphiql');
}

/** Reads each built file once; a missing file is not cached, so a later build is picked up. */
export class GraphiqlAssets {
  private readonly cache = new Map<GraphiqlAssetFile, Buffer>();

  constructor(private readonly dir: string) {}

  async read(file: GraphiqlAssetFile): Promise<Buffer | undefined> {
    const cached = this.cache.get(file);
    if (cached) return cached;
    try {
      const content = await readFile(join(this.dir, file));
      this.cache.set(file, content);
      return content;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
