import { randomInt } from 'node:crypto';
import { AwsServiceError } from '../support/aws-protocol.js';

/** GetRandomPassword's options, as the API names them. */
export interface RandomPasswordOptions {
  readonly PasswordLength?: number;
  readonly ExcludeCharacters?: string;
  readonly ExcludeNumbers?: boolean;
  readonly ExcludePunctuation?: boolean;
  readonly ExcludeUppercase?: boolean;
  readonly ExcludeLowercase?: boolean;
  readonly IncludeSpace?: boolean;
  readonly RequireEachIncludedType?: boolean;
}

const CLASSES = {
  lowercase: 'abcdefghijklmnopqrstuvwxyz',
  uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  numbers: '0123456789',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  space: ' ',
} as const;

/**
 * A password as Secrets Manager's GetRandomPassword makes one: 32 characters by default, from the classes not
 * excluded, with (by default) at least one character of each included class; drawn with a CSPRNG.
 */
export const randomPassword = (options: RandomPasswordOptions = {}): string => {
  const length = options.PasswordLength ?? 32;
  const excluded = new Set(options.ExcludeCharacters ?? '');
  const classes = [
    options.ExcludeLowercase ? '' : CLASSES.lowercase,
    options.ExcludeUppercase ? '' : CLASSES.uppercase,
    options.ExcludeNumbers ? '' : CLASSES.numbers,
    options.ExcludePunctuation ? '' : CLASSES.punctuation,
    options.IncludeSpace ? CLASSES.space : '',
  ]
    .map((chars) => [...chars].filter((char) => !excluded.has(char)).join(''))
    .filter((chars) => chars.length > 0);
  const alphabet = classes.join('');
  const requireEach = options.RequireEachIncludedType ?? true;
  if (alphabet.length === 0 || (requireEach && classes.length > length)) {
    throw new AwsServiceError(
      'InvalidParameterException',
      'The password length is too short or every character class is excluded.',
    );
  }
  const pick = (chars: string): string => chars.charAt(randomInt(chars.length));
  const chars = requireEach ? classes.map(pick) : [];
  while (chars.length < length) chars.push(pick(alphabet));
  // Shuffle so the guaranteed characters do not sit at the start.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
};
