import { renderTemplateDocument } from '../lambdas/documents/template-pdf';
import { documentInput, templateService } from '../test/documents/fixtures';

/**
 * Rendering the Service Details Template at the largest size a submission may have: 200 services of 500
 * words. Two vocabularies: a realistic one (descriptions share most words) and the worst case, where no
 * Devanagari word repeats (fontkit shapes each distinct word once). Run: `npx tsx bench/template-pdf.ts`.
 */
const LETTERS = [...'कखगघचछजझटठडढतथदधनपफबभमयरलवशसह'];
const MATRAS = ['', 'ा', 'ि', 'ी', 'ु', 'ू', 'े', 'ै', 'ो', 'ौ', 'ं', '्र'];

function distinctWord(n: number): string {
  let word = '';
  for (let k = n + 1; k > 0; k = Math.floor(k / LETTERS.length)) {
    word += `${LETTERS[k % LETTERS.length] ?? ''}${MATRAS[(k * 7) % MATRAS.length] ?? ''}`;
  }
  return word;
}

async function measure(label: string, services: ReturnType<typeof templateService>[]) {
  const started = performance.now();
  const rendered = await renderTemplateDocument(documentInput({ services }));
  const ms = performance.now() - started;
  console.log(
    `${label}: ${Math.round(ms)} ms, ${(rendered.pdf.length / 1e6).toFixed(2)} MB, ${rendered.pages} pages, rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
  );
}

await renderTemplateDocument(documentInput()); // warm: fonts read, modules compiled
const realistic = Array.from({ length: 200 }, (_, i) => templateService(i, 500));
await measure('200 x 500 words, shared vocabulary', realistic);
let next = 0;
const distinct = realistic.map((service) => ({
  ...service,
  serviceDescription: Array.from({ length: 500 }, (_, w) =>
    w % 2 === 0 ? distinctWord(next++) : 'service',
  ).join(' '),
}));
await measure('200 x 500 words, every Devanagari word distinct (worst case)', distinct);
