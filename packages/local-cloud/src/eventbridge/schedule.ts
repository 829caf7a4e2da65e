/**
 * Schedule expressions of EventBridge rules ("Creating a rule that runs on a schedule"): `rate(value unit)` and
 * `cron(minutes hours day-of-month month day-of-week year)`, in UTC. Parsing refuses what PutRule refuses
 * ("Parameter ScheduleExpression is not valid."); `nextFireTime` says when a schedule fires next.
 */

/** A parsed schedule: when it fires next, strictly after `after` (epoch milliseconds), or undefined if never. */
export interface Schedule {
  readonly expression: string;
  nextFireTime(after: number): number | undefined;
}

const MINUTE = 60_000;
const RATE = /^rate\(([1-9]\d*) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_MS: Readonly<Record<string, number>> = {
  minute: MINUTE,
  hour: 60 * MINUTE,
  day: 24 * 60 * MINUTE,
};

/**
 * `rate(1 minute)`, `rate(5 minutes)`, `rate(2 hours)`, `rate(1 day)`: a positive whole number, the singular unit for
 * 1 and the plural otherwise, lower case, no extra spaces. The first run comes one period after `anchor` (the rule's
 * creation), then every period.
 */
const parseRate = (expression: string, anchor: number): Schedule | undefined => {
  const match = RATE.exec(expression);
  if (match === null) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? '';
  const singular = !unit.endsWith('s');
  if ((value === 1) !== singular) return undefined;
  const period = value * (UNIT_MS[singular ? unit : unit.slice(0, -1)] ?? MINUTE);
  return {
    expression,
    nextFireTime: (after) => anchor + (Math.floor(Math.max(0, after - anchor) / period) + 1) * period,
  };
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

/** A set of allowed values of one field (undefined = every value). */
type ValueSet = ReadonlySet<number> | undefined;

const value = (text: string, spec: FieldSpec): number | undefined => {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + spec.min;
  if (!/^\d+$/.test(text)) return undefined;
  const number = Number(text);
  return number >= spec.min && number <= spec.max ? number : undefined;
};

/** `*`, `5`, `1-5`, `MON-FRI`, `0/15`, `*\/10`, `1,15,30` over a field's range; undefined when malformed. */
const parseList = (text: string, spec: FieldSpec): { set: ValueSet } | undefined => {
  if (text === '*') return { set: undefined };
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    if (part.split('/').length > 2) return undefined;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || (stepText !== undefined && !/^\d+$/.test(stepText)))
      return undefined;
    let low: number | undefined;
    let high: number | undefined;
    if (range === '*') {
      low = spec.min;
      high = spec.max;
    } else if (range.includes('-')) {
      const [from = '', to = ''] = range.split('-');
      low = value(from, spec);
      high = value(to, spec);
    } else {
      low = value(range, spec);
      high = stepText === undefined ? low : spec.max;
    }
    if (low === undefined || high === undefined || low > high) return undefined;
    for (let current = low; current <= high; current += step) values.add(current);
  }
  return { set: values };
};

const FIELDS = {
  minutes: { min: 0, max: 59 },
  hours: { min: 0, max: 23 },
  dayOfMonth: { min: 1, max: 31 },
  month: { min: 1, max: 12, names: MONTHS },
  dayOfWeek: { min: 1, max: 7, names: DAYS },
  year: { min: 1970, max: 2199 },
} as const;

/** The day-of-month field: a list, `?`, `L` (last day), or `nW` (the weekday nearest day n). */
type DayOfMonth =
  | { kind: 'any' }
  | { kind: 'set'; set: ValueSet }
  | { kind: 'last' }
  | { kind: 'weekday'; day: number };
/** The day-of-week field: a list, `?`, `nL` (last weekday n of the month), or `n#k` (k-th weekday n). */
type DayOfWeek =
  | { kind: 'any' }
  | { kind: 'set'; set: ValueSet }
  | { kind: 'last'; day: number }
  | { kind: 'nth'; day: number; nth: number };

const parseDayOfMonth = (text: string): DayOfMonth | undefined => {
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'last' };
  const weekday = /^(\d{1,2})W$/.exec(text);
  if (weekday !== null) {
    const day = value(weekday[1] ?? '', FIELDS.dayOfMonth);
    return day === undefined ? undefined : { kind: 'weekday', day };
  }
  const list = parseList(text, FIELDS.dayOfMonth);
  return list === undefined ? undefined : { kind: 'set', set: list.set };
};

const parseDayOfWeek = (text: string): DayOfWeek | undefined => {
  if (text === '?') return { kind: 'any' };
  const last = /^([^L#]+)L$/.exec(text);
  if (last !== null) {
    const day = value(last[1] ?? '', FIELDS.dayOfWeek);
    return day === undefined ? undefined : { kind: 'last', day };
  }
  const nth = /^([^#]+)#([1-5])$/.exec(text);
  if (nth !== null) {
    const day = value(nth[1] ?? '', FIELDS.dayOfWeek);
    return day === undefined ? undefined : { kind: 'nth', day, nth: Number(nth[2]) };
  }
  const list = parseList(text, FIELDS.dayOfWeek);
  return list === undefined ? undefined : { kind: 'set', set: list.set };
};

const has = (set: ValueSet, candidate: number): boolean => set === undefined || set.has(candidate);

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Whether a UTC day matches the day-of-month and day-of-week fields (one of them is `?`). */
const dayMatches = (date: Date, dom: DayOfMonth, dow: DayOfWeek): boolean => {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  const day = date.getUTCDate();
  const weekday = date.getUTCDay() + 1; // 1 = Sunday, as in AWS's cron
  const last = daysInMonth(year, month);
  switch (dom.kind) {
    case 'set':
      if (!has(dom.set, day)) return false;
      break;
    case 'last':
      if (day !== last) return false;
      break;
    case 'weekday': {
      // The weekday (Mon–Fri) nearest the given day, within the month.
      const target = Math.min(dom.day, last);
      const targetWeekday = new Date(Date.UTC(year, month - 1, target)).getUTCDay();
      let nearest = target;
      if (targetWeekday === 6) nearest = target === 1 ? target + 2 : target - 1;
      else if (targetWeekday === 0) nearest = target === last ? target - 2 : target + 1;
      if (day !== nearest) return false;
      break;
    }
    default:
      break;
  }
  switch (dow.kind) {
    case 'set':
      return has(dow.set, weekday);
    case 'last':
      return weekday === dow.day && day + 7 > last;
    case 'nth':
      return weekday === dow.day && Math.ceil(day / 7) === dow.nth;
    default:
      return true;
  }
};

/**
 * `cron(0 12 * * ? *)`: six fields, with exactly one of day-of-month and day-of-week set to `?` (AWS does not allow
 * both), in UTC.
 */
const parseCron = (expression: string): Schedule | undefined => {
  const match = /^cron\((.*)\)$/.exec(expression);
  if (match === null) return undefined;
  const fields = (match[1] ?? '').split(' ');
  if (fields.length !== 6) return undefined;
  const [minutesText = '', hoursText = '', domText = '', monthText = '', dowText = '', yearText = ''] =
    fields;
  const minutes = parseList(minutesText, FIELDS.minutes);
  const hours = parseList(hoursText, FIELDS.hours);
  const months = parseList(monthText, FIELDS.month);
  const years = parseList(yearText, FIELDS.year);
  const dom = parseDayOfMonth(domText);
  const dow = parseDayOfWeek(dowText);
  if ([minutes, hours, months, years, dom, dow].some((field) => field === undefined)) return undefined;
  if ((dom?.kind === 'any') === (dow?.kind === 'any')) return undefined;
  const minuteSet = minutes?.set;
  const hourSet = hours?.set;
  return {
    expression,
    nextFireTime: (after) => {
      const start = new Date(Math.floor(after / MINUTE) * MINUTE + MINUTE);
      const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
      // Day by day (at most to year 2199), then the first matching hour and minute of a matching day.
      for (let steps = 0; steps < 366 * 230 && day.getUTCFullYear() <= FIELDS.year.max; steps += 1) {
        const matchesDay =
          has(years?.set, day.getUTCFullYear()) &&
          has(months?.set, day.getUTCMonth() + 1) &&
          dayMatches(day, dom as DayOfMonth, dow as DayOfWeek);
        if (matchesDay) {
          for (let hour = 0; hour < 24; hour += 1) {
            if (!has(hourSet, hour)) continue;
            for (let minute = 0; minute < 60; minute += 1) {
              if (!has(minuteSet, minute)) continue;
              const at = day.getTime() + hour * 60 * MINUTE + minute * MINUTE;
              if (at >= start.getTime()) return at;
            }
          }
        }
        day.setUTCDate(day.getUTCDate() + 1);
      }
      return undefined;
    },
  };
};

/** Parses a ScheduleExpression, or returns undefined when AWS would refuse it. `anchor` starts rate schedules. */
export const parseSchedule = (expression: string, anchor: number): Schedule | undefined =>
  expression.startsWith('rate(') ? parseRate(expression, anchor) : parseCron(expression);
