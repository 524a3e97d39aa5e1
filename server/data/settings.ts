/** The settings table: server-wide values shared by every process through the DB. */
import type { Store } from '../db/store.js';

export class Settings {
  constructor(private readonly store: Store) {}

  /** Returns the stored value, or stores `fallback` first if there is none (first writer wins across processes). */
  async getOrInit(key: string, fallback: string): Promise<string> {
    await this.store.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, fallback]);
    const rows = await this.store.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
    return rows[0]!.value;
  }
}
