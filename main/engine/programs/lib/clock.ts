// The lab's wall clock: virtual time 0 is 2026-01-01 00:00:00 UTC (ps shows STIME from midnight),
// so dates in HTTP headers, ls -l, FTP listings and mail are the same on every run.
// Civil dates from day numbers without Date (the engine has no wall clock): Howard Hinnant's
// civil_from_days.

/** Days from 1970-01-01 to the lab epoch, 2026-01-01. */
const EPOCH_DAYS = 20454;
const NS_PER_S = 1e9;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface Civil {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday */
  weekday: number;
}

export function civil(virtualNs: number): Civil {
  const secs = Math.floor(virtualNs / NS_PER_S);
  const days = EPOCH_DAYS + Math.floor(secs / 86400);
  const sod = secs - Math.floor(secs / 86400) * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day, hour: Math.floor(sod / 3600), minute: Math.floor(sod / 60) % 60, second: sod % 60, weekday: (((days + 4) % 7) + 7) % 7 };
}

const p2 = (n: number) => String(n).padStart(2, '0');
const hms = (c: Civil) => `${p2(c.hour)}:${p2(c.minute)}:${p2(c.second)}`;

/** RFC 9110 §5.6.7 IMF-fixdate: "Thu, 01 Jan 2026 00:00:01 GMT". */
export const httpDate = (ns: number): string => {
  const c = civil(ns);
  return `${DAYS[c.weekday]}, ${p2(c.day)} ${MONTHS[c.month - 1]} ${c.year} ${hms(c)} GMT`;
};

/** RFC 5322 §3.3 date-time: "Thu, 1 Jan 2026 00:00:01 +0000". */
export const mailDate = (ns: number): string => {
  const c = civil(ns);
  return `${DAYS[c.weekday]}, ${c.day} ${MONTHS[c.month - 1]} ${c.year} ${hms(c)} +0000`;
};

/** ctime(3) as in an mbox "From " line: "Thu Jan  1 00:00:01 2026". */
export const ctime = (ns: number): string => {
  const c = civil(ns);
  return `${DAYS[c.weekday]} ${MONTHS[c.month - 1]} ${String(c.day).padStart(2)} ${hms(c)} ${c.year}`;
};

/** ls -l's recent-file form: "Jan  1 00:00". */
export const lsDate = (ns: number): string => {
  const c = civil(ns);
  return `${MONTHS[c.month - 1]} ${String(c.day).padStart(2)} ${p2(c.hour)}:${p2(c.minute)}`;
};

/** The Common Log Format's time: "01/Jan/2026:00:00:05 +0000" (Apache's access log). */
export const clfDate = (ns: number): string => {
  const c = civil(ns);
  return `${p2(c.day)}/${MONTHS[c.month - 1]}/${c.year}:${hms(c)} +0000`;
};

/** vsftpd's listing time: "Jan 01 00:00" (day with a leading zero). */
export const ftpListDate = (ns: number): string => {
  const c = civil(ns);
  return `${MONTHS[c.month - 1]} ${p2(c.day)} ${p2(c.hour)}:${p2(c.minute)}`;
};
