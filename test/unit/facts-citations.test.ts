import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The code cites docs/aws-facts.md for every AWS behaviour it relies on ("docs/aws-facts.md, 4.4",
 * "docs/aws-facts.md, pain point 2", "docs/aws-facts.md, IAM"). A citation a reader cannot follow is
 * worse than none, so each must name a section or numbered item the document has.
 */
const ROOT = join(__dirname, '..', '..');
const FACTS = readFileSync(join(ROOT, 'docs', 'aws-facts.md'), 'utf8');
const HEADINGS = FACTS.split('\n')
  .filter((line) => line.startsWith('#'))
  .map((line) => line.replace(/^#+\s*/, ''));
const PAIN_POINTS = new Set([...FACTS.matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1])));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|vtl|js)$/.test(name) ? [path] : [];
  });
}

/** Every citation in the code: the words after "docs/aws-facts.md, ", comment markers removed. */
function citations(): { file: string; cited: string }[] {
  return ['lib', 'lambda', 'cli', 'local', 'contract'].flatMap((dir) =>
    sourceFiles(join(ROOT, dir)).flatMap((file) => {
      const text = readFileSync(file, 'utf8').replace(/\n\s*(\*|\/\/|##)\s*/g, ' ');
      return [...text.matchAll(/docs\/aws-facts\.md, ([^)\n]{1,60})/g)].map((m) => ({ file: file.slice(ROOT.length + 1), cited: m[1] as string }));
    }),
  );
}

function resolves(cited: string): boolean {
  const section = /^(\d\.\d)\b/.exec(cited);
  if (section) return HEADINGS.some((h) => h.startsWith(`${section[1]} `));
  const pain = /^pain point (\d+)/.exec(cited);
  if (pain) return PAIN_POINTS.has(Number(pain[1]));
  const words = cited.replace(/^"/, '').toLowerCase();
  return HEADINGS.some((h) => {
    const name = h.toLowerCase();
    return words.startsWith(name.split(/[(:]/)[0]!.trim()) || name.startsWith(words.split(/[,:;"]/)[0]!.trim());
  });
}

test('every citation of docs/aws-facts.md names a section or pain point the document has', () => {
  const all = citations();
  expect(all.length).toBeGreaterThan(100);
  const broken = all.filter(({ cited }) => !resolves(cited)).map(({ file, cited }) => `${file}: ${cited}`);
  expect(broken).toEqual([]);
});

test('the code cites no facts document outside the repository', () => {
  const outside = ['lib', 'lambda', 'cli', 'local', 'contract'].flatMap((dir) =>
    sourceFiles(join(ROOT, dir)).filter((file) => /\bfacts \d\.\d|\.\.\/shared\/reference/.test(readFileSync(file, 'utf8'))),
  );
  expect(outside).toEqual([]);
});
