/**
 * The seed of this test file's property runs (fast-check): FC_SEED when set, to replay a run, else
 * a new one each run. test/setup/property-seed.ts gives it to every `fc.assert` of the file.
 */
export const PROPERTY_SEED = seedFromEnvironment(process.env.FC_SEED);

function seedFromEnvironment(raw: string | undefined): number {
  if (raw === undefined || raw === '') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer (got "${raw}")`);
  return seed;
}
