// A small Node service module (TypeScript, standard library only): one function of each kind, and one
// event-loop mistake, so `npm start` and the editor show the TS/JS verdicts and rule CL101.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface Product {
  id: number;
  name: string;
  price: number;
}

/** Scores every pair of products by name similarity: nested loops over the catalog, pure CPU. */
export function similarityMatrix(products: Product[]): number[][] {
  const scores: number[][] = [];
  for (const a of products) {
    const row: number[] = [];
    for (const b of products) {
      let shared = 0;
      for (const ch of a.name) if (b.name.includes(ch)) shared++;
      row.push(shared / Math.max(a.name.length, b.name.length, 1));
    }
    scores.push(row);
  }
  return scores;
}

/** Loads the catalog without blocking the event loop. */
export async function loadCatalog(path: string): Promise<Product[]> {
  return JSON.parse(await readFile(path, 'utf8')) as Product[];
}

/** Fetches current prices from a pricing service. */
export async function fetchPrices(ids: number[]): Promise<number[]> {
  const response = await fetch(`http://localhost:8080/prices?ids=${ids.join(',')}`);
  return (await response.json()) as number[];
}

/** Reads the discount table in an async function with a sync call: CL101 (use fs/promises). */
export async function discounts(path: string): Promise<Record<string, number>> {
  const text = readFileSync(path, 'utf8');
  return JSON.parse(text) as Record<string, number>;
}

/** A short fingerprint of one product. */
export function fingerprint(product: Product): string {
  return createHash('sha256').update(`${product.id}:${product.name}`).digest('hex').slice(0, 12);
}
