import type { BenchCase } from '../bench.types.js';

const VIEW_NAME = 'bench: 网络推广, private or public, recently updated';
const VIEW = {
  name: VIEW_NAME,
  filter: {
    and: [
      { field: 'source', op: 'eq', value: '网络推广' },
      { field: 'pool', op: 'in', value: ['private', 'public'] },
    ],
  },
  sort: { field: 'updatedAt', direction: 'desc' },
};

/** How often a request follows a cursor to a later page instead of reading the first. */
const FOLLOW_SHARE = 0.3;
const MAX_CURSORS = 64;

/** A page of 50 from a saved view (filter on a picklist and the pool, newest update first). */
export const viewPageCase: BenchCase = {
  name: 'view page (50)',
  goalP99Ms: 25,
  async setup({ api, rng }) {
    const { items } = await api.json<{ items: { id: string; name: string }[] }>('GET', '/api/v1/views');
    const view = items.find((v) => v.name === VIEW_NAME) ?? (await api.json<{ id: string }>('POST', '/api/v1/views', VIEW));
    const first = `/api/v1/customers?view=${encodeURIComponent(view.id)}&limit=50`;
    const cursors: string[] = [];
    return {
      next: () => {
        if (cursors.length > 0 && rng() < FOLLOW_SHARE) return `${first}&cursor=${encodeURIComponent(cursors.pop()!)}`;
        return first;
      },
      observe: (response) => {
        // Collect a few cursors to follow; parsing every page would load the client, not the server.
        if (cursors.length >= MAX_CURSORS) return;
        const { nextCursor } = JSON.parse(response.body.toString('utf8')) as { nextCursor: string | null };
        if (nextCursor) cursors.push(nextCursor);
      },
    };
  },
};
