// The calendars `aftermath plan --ics` writes, read by Mozilla's ical.js (the parser of
// Thunderbird's calendar), beside Debian's python3-icalendar in tests/icalendar_test.cpp.
//
// Usage: node check_ical_js.mjs AFTERMATH_CLI NODE_MODULES WORK_DIR
// NODE_MODULES holds ical.js (install_ical_js.sh puts it there). For each request below the
// command writes the plan as JSON and as iCalendar; every event is checked against its plan item
// (dates, summary, description, category, DTSTAMP) and every content line against RFC 5545 §3.1
// (CRLF, at most 75 octets, UTF-8 on its own, no control character but HTAB). Exits 1 naming
// every failure; a missing ical.js is a failure, not a skip.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [cli, modules, work] = process.argv.slice(2);
if (!cli || !modules || !work) {
  console.error('usage: node check_ical_js.mjs AFTERMATH_CLI NODE_MODULES WORK_DIR');
  process.exit(1);
}

const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};
// Prints every failure so far and exits 1 if there is one.
function finish() {
  for (const failure of failures) console.error(`FAIL: ${failure}`);
  if (failures.length > 0) {
    console.error(`${failures.length} failures`);
    process.exit(1);
  }
}

async function loadIcalJs() {
  const manifest = path.join(modules, 'ical.js', 'package.json');
  if (!fs.existsSync(manifest)) {
    console.error(`FAIL: ical.js is not in ${modules}; run tests/icalendar/install_ical_js.sh ${path.dirname(modules)}`);
    process.exit(1);
  }
  const { version, exports } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  if (!version.startsWith('2.')) {
    console.error(`FAIL: ${manifest} is ical.js ${version}, not 2.x`);
    process.exit(1);
  }
  console.log(`ical.js ${version}`);
  return (await import(pathToFileURL(path.join(modules, 'ical.js', exports.import)).href)).default;
}
const ICAL = await loadIcalJs();
// X-WR-CALNAME is an extension, not in RFC 5545, so ical.js leaves its value unparsed (escapes
// and all) unless told that it is TEXT, which is what the writer makes it.
ICAL.design.icalendar.property['x-wr-calname'] = { defaultType: 'text' };

const dtstamp = '20261123T090000Z';
const calendarOptions = {
  open_weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'],
  closures: ['2026-12-24'],
  holidays: ['us_federal'],
};
// A course with every kind of item: sessions, follow-ups, aftercare, a medication pause, maintenance.
const request = (patient, earliest = '2026-12-01') => ({
  profile: { patient, risk_factors: ['bruise_prone', 'aspirin'] },
  protocol: 'face_initial',
  earliest,
  calendar: calendarOptions,
  unavailable: [{ from: '2026-12-20', to: '2027-01-03' }],
  events: [{ date: '2027-02-14', name: 'wedding', require: 'no_visible_side_effects', confidence: 0.95 }],
  medication_pause_approved: true,
});

// What RFC 5545 TEXT makes of a patient id: control characters but HTAB become U+FFFD, and a
// lone CR, LF or CRLF is one line break.
const asIcalText = (text) => text.replace(/\r\n|\r|\n/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '\uFFFD');

fs.mkdirSync(work, { recursive: true });

// Runs `aftermath plan` and returns the plan (its JSON) and the calendar (its bytes).
function planAndCalendar(name, body, extra = []) {
  const requestFile = path.join(work, `${name}.json`);
  const icsFile = path.join(work, `${name}.ics`);
  fs.writeFileSync(requestFile, JSON.stringify(body));
  fs.rmSync(icsFile, { force: true });
  const args = ['plan', '--format', 'json', '--request', requestFile, '--ics', icsFile, '--dtstamp', dtstamp, ...extra];
  let out;
  try {
    out = execFileSync(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    failures.push(`${name}: aftermath ${args.join(' ')} exited ${error.status}:\n${error.stderr}`);
    finish();
  }
  return { plan: JSON.parse(out.toString('utf8')), bytes: fs.readFileSync(icsFile) };
}

function checkContentLines(name, bytes) {
  const text = bytes.toString('latin1');  // one char per octet, to count octets
  check(text.endsWith('\r\n'), `${name}: does not end in CRLF`);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  for (let number = 1; start < bytes.length; ++number) {
    let end = bytes.indexOf('\r\n', start);
    if (end < 0) end = bytes.length;
    const line = bytes.subarray(start, end);
    check(line.length <= 75, `${name}: line ${number} has ${line.length} octets`);
    try {
      decoder.decode(line);
    } catch {
      check(false, `${name}: line ${number} is not UTF-8 on its own (folded inside a character?)`);
    }
    for (const octet of line) check(!((octet < 0x20 && octet !== 0x09) || octet === 0x7f), `${name}: line ${number} holds control octet ${octet}`);
    check(!line.includes(0x0a) && !line.includes(0x0d), `${name}: line ${number} holds a bare CR or LF`);
    start = end + 2;
  }
}

const dayAfter = (isoDay) => {
  const day = new Date(`${isoDay}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
};

function expectedSummary(item) {
  switch (item.kind) {
    case 'session': return `Session ${item.number}${item.done ? ' (done)' : ''}`;
    case 'maintenance': return `Maintenance session ${item.number}`;
    case 'follow_up': return `Follow-up (${item.id}) after session ${item.number}`;
    case 'aftercare': return `Aftercare (${item.id}) after session ${item.session}`;
    case 'medication_pause': return `Medication pause (${item.id}) before session ${item.session}`;
    default: return `unknown kind ${item.kind}`;
  }
}

// Parses the calendar with ical.js and checks it against the plan; returns its UIDs.
function checkCalendar(name, { plan, bytes }, expectedName) {
  checkContentLines(name, bytes);
  const calendar = new ICAL.Component(ICAL.parse(bytes.toString('utf8')));
  check(calendar.name === 'vcalendar', `${name}: not a VCALENDAR`);
  check(calendar.getFirstPropertyValue('version') === '2.0', `${name}: VERSION is not 2.0`);
  const calname = calendar.getFirstPropertyValue('x-wr-calname');
  check(calname === expectedName, `${name}: X-WR-CALNAME is ${JSON.stringify(calname)}, not ${JSON.stringify(expectedName)}`);
  const events = calendar.getAllSubcomponents('vevent');
  check(events.length === plan.items.length, `${name}: ${events.length} events for ${plan.items.length} plan items`);
  const uids = [];
  events.forEach((component, i) => {
    const item = plan.items[i] ?? {};
    const event = new ICAL.Event(component);
    const where = `${name}: event ${i} (${item.kind} ${item.number ?? item.session})`;
    uids.push(event.uid);
    check(/^[0-9a-f]{16}@aftermath\.plan$/.test(event.uid), `${where}: UID ${JSON.stringify(event.uid)} is not one token hash@domain`);
    const first = item.date ?? item.from, last = item.date ?? item.until;
    check(event.startDate.isDate && event.startDate.toString() === first, `${where}: DTSTART ${event.startDate} is not the day ${first}`);
    check(event.endDate.isDate && event.endDate.toString() === dayAfter(last), `${where}: DTEND ${event.endDate} is not the day after ${last}`);
    const stamp = component.getFirstPropertyValue('dtstamp');
    check(stamp.toString() === '2026-11-23T09:00:00Z' && stamp.zone === ICAL.Timezone.utcTimezone,
          `${where}: DTSTAMP ${stamp} is not ${dtstamp} in UTC`);
    check(event.summary === expectedSummary(item), `${where}: SUMMARY ${JSON.stringify(event.summary)} is not ${JSON.stringify(expectedSummary(item))}`);
    const description = event.description ?? '';
    check(description.startsWith(item.text ? `${item.text}\n${item.reason}\n` : `${item.reason}\n`),
          `${where}: DESCRIPTION does not start with the item's text and reason: ${JSON.stringify(description.slice(0, 80))}`);
    check(description.endsWith(plan.notice), `${where}: DESCRIPTION does not end with the notice`);
    check(component.getFirstPropertyValue('categories') === item.kind, `${where}: CATEGORIES is not ${item.kind}`);
  });
  check(new Set(uids).size === uids.length, `${name}: ${uids.length - new Set(uids).size} UIDs repeat`);
  return uids;
}

const disjoint = (a, b) => a.filter((uid) => b.includes(uid)).length === 0;

// A normal plan.
const normal = planAndCalendar('normal', request('p-17'));
const normalUids = checkCalendar('normal', normal, 'Treatment plan p-17');
check(new Set(normal.plan.items.map((item) => item.kind)).size === 5, 'normal: the plan does not have every kind of item');

// A patient id with control characters and a lone CR: replaced and a line break, never raw.
const awkwardId = 'ctl\u0001id\u007f one\rtwo\ttab';
const control = planAndCalendar('control', request(awkwardId));
check(control.plan.patient === awkwardId, 'control: the plan does not carry the patient id as given');
checkCalendar('control', control, `Treatment plan ${asIcalText(awkwardId)}`);

// A long non-ASCII patient id with the characters TEXT escapes: folded between characters.
const longId = 'Zoë Ñandú-Łódź, 東京の診療所; 😀 \\ '.repeat(6);
checkCalendar('long', planAndCalendar('long', request(longId)), `Treatment plan ${longId}`);

// The same course again: the same bytes. A second course of the same patient and protocol, or
// the same dates under another course id: no UID of the first.
const again = planAndCalendar('normal_again', request('p-17'));
check(Buffer.compare(again.bytes, normal.bytes) === 0, 'normal_again: the same request gave other bytes');
const secondCourse = planAndCalendar('second_course', request('p-17', '2028-03-01'));
check(disjoint(checkCalendar('second_course', secondCourse, 'Treatment plan p-17'), normalUids),
      'second_course: shares UIDs with the first course of the same patient');
const courseA = checkCalendar('course_a', planAndCalendar('course_a', request('p-17'), ['--course-id', 'A-2026']), 'Treatment plan p-17');
const courseB = checkCalendar('course_b', planAndCalendar('course_b', request('p-17'), ['--course-id', 'B-2026']), 'Treatment plan p-17');
check(disjoint(courseA, courseB) && disjoint(courseA, normalUids), 'course ids: two courses share UIDs');

finish();
console.log('ical.js read every calendar as planned: normal, control characters, long non-ASCII, second course, course ids');
