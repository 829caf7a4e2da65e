import { invalid, type PatternCase } from './support';

/** Builders of pattern cases: `m` matches, `n` does not, `x`/`X` refuses with AWS's reason (regex / literal text). */
export type Fields = Record<string, unknown>;
export const m = (name: string, source: string, pattern: unknown, event: Fields = {}): PatternCase => ({
  name: `matches: ${name}`,
  source,
  pattern,
  event,
  expected: 'match',
});
export const n = (name: string, source: string, pattern: unknown, event: Fields = {}): PatternCase => ({
  name: `does not match: ${name}`,
  source,
  pattern,
  event,
  expected: 'no-match',
});
export const reason = (text: string) => new RegExp(`^Event pattern is not valid\\. Reason: ${text}$`);
export const x = (name: string, source: string, pattern: unknown, because: string): PatternCase => ({
  name: `refuses: ${name}`,
  source,
  pattern,
  expected: invalid(reason(because)),
});
export const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
export const X = (name: string, source: string, pattern: unknown, because: string) =>
  x(name, source, pattern, esc(because));

export const ec2 = {
  source: 'aws.ec2',
  'detail-type': 'EC2 Instance State-change Notification',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'running',
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
  },
};
export const detail = (fields: Fields) => ({ detail: fields });
