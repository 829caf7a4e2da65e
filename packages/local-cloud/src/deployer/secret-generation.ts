import { randomInt } from 'node:crypto';
import { optionalBoolean, optionalNumber, optionalString, type Properties } from './properties.js';

const CLASSES = {
  lowercase: 'abcdefghijklmnopqrstuvwxyz',
  uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  numbers: '0123456789',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
} as const;

/**
 * A local value for `GenerateSecretString`, with Secrets Manager's rules: `PasswordLength` (default 32) characters
 * from the included classes minus `ExcludeCharacters`, one of each class when `RequireEachIncludedType` (default
 * true); with `SecretStringTemplate` and `GenerateStringKey` the password goes into that JSON key.
 */
export const generateSecretString = (settings: Properties): string => {
  const excluded = new Set(optionalString(settings, 'ExcludeCharacters') ?? '');
  const classes = [
    optionalBoolean(settings, 'ExcludeLowercase') === true ? '' : CLASSES.lowercase,
    optionalBoolean(settings, 'ExcludeUppercase') === true ? '' : CLASSES.uppercase,
    optionalBoolean(settings, 'ExcludeNumbers') === true ? '' : CLASSES.numbers,
    optionalBoolean(settings, 'ExcludePunctuation') === true ? '' : CLASSES.punctuation,
    optionalBoolean(settings, 'IncludeSpace') === true ? ' ' : '',
  ]
    .map((characters) => [...characters].filter((character) => !excluded.has(character)).join(''))
    .filter((characters) => characters.length > 0);
  const length = optionalNumber(settings, 'PasswordLength') ?? 32;
  const all = classes.join('');
  const pick = (from: string) => from[randomInt(from.length)] ?? '';
  const required = optionalBoolean(settings, 'RequireEachIncludedType') === false ? [] : classes.map(pick);
  const characters = [
    ...required,
    ...Array.from({ length: Math.max(0, length - required.length) }, () => pick(all)),
  ];
  for (let index = characters.length - 1; index > 0; index -= 1) {
    const other = randomInt(index + 1);
    [characters[index], characters[other]] = [characters[other] ?? '', characters[index] ?? ''];
  }
  const password = characters.slice(0, length).join('');
  const template = optionalString(settings, 'SecretStringTemplate');
  const key = optionalString(settings, 'GenerateStringKey');
  if (template === undefined || key === undefined) return password;
  return JSON.stringify({ ...(JSON.parse(template) as Record<string, unknown>), [key]: password });
};
