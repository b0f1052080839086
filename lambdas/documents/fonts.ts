import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename } from 'node:path';

/**
 * The fonts of the documents the system issues: Noto Sans Devanagari (SIL OFL 1.1), which covers
 * Devanagari and Latin, so Hindi and English names and descriptions render with one font. The files come
 * from the `@expo-google-fonts/noto-sans-devanagari` npm package (TrueType; pdf-lib cannot embed the
 * WOFF2 of the fontsource packages), never from the network.
 *
 * Run from the sources, the package resolves from node_modules. A deployed function has no
 * node_modules: lib/ copies the same files next to the bundle (`assets/`), where they are found relative
 * to the bundle's own URL.
 */
export const DOCUMENT_FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-devanagari/400Regular/NotoSansDevanagari_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-devanagari/700Bold/NotoSansDevanagari_700Bold.ttf',
} as const;

export type DocumentFont = keyof typeof DOCUMENT_FONT_FILES;

/** Where a bundled function finds the files (lib/ copies them there). */
export const BUNDLED_ASSETS_DIR = 'assets';

const cache = new Map<DocumentFont, Promise<Uint8Array>>();

async function load(font: DocumentFont): Promise<Uint8Array> {
  const specifier = DOCUMENT_FONT_FILES[font];
  let path: string | URL;
  try {
    path = createRequire(import.meta.url).resolve(specifier);
  } catch {
    path = new URL(`./${BUNDLED_ASSETS_DIR}/${basename(specifier)}`, import.meta.url);
  }
  return new Uint8Array(await readFile(path));
}

/** The font file's bytes, read once per process. */
export function documentFont(font: DocumentFont): Promise<Uint8Array> {
  let bytes = cache.get(font);
  if (!bytes) {
    bytes = load(font);
    cache.set(font, bytes);
    bytes.catch(() => cache.delete(font));
  }
  return bytes;
}
