import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiText } from './document.js';

// `npm run openapi`: regenerates openapi/openapi.json at the repository root from the route schemas.
const target = join(dirname(fileURLToPath(import.meta.url)), '../../../../openapi/openapi.json');
writeFileSync(target, openApiText());
console.log(`wrote ${target}`);
