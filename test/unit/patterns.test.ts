import * as assert from 'node:assert/strict';
import { INTERPOLATED_TEXT, longestMatch, patternCost } from '../../src/core/knowledge/patterns';
import { analyzeTree, fn } from './helpers';

/** A regular expression costs what its pattern makes the engine try at each position, and what each match builds. */
describe('regular expressions: cost by pattern', () => {
  it('prices a pattern by how it starts: a literal prefix is skipped to, a class tried at each position, a word boundary or group attempted, a backtracking run and alternations more', () => {
    const scan = (pattern: string): number => patternCost(pattern).scan;
    assert.ok(scan('INV-(\\d{8})') < 0.1, 'a literal prefix');
    assert.ok(scan('^(?P<policy>P\\d{8})\\|') < 0.1, 'anchored at the start');
    assert.equal(scan('[0-9]{3}-[0-9]{4}'), 1, 'the calibrated pattern');
    assert.equal(scan(undefined as unknown as string), 1, 'an unknown pattern is the calibrated one');
    assert.ok(scan('\\b[a-z]+ (\\d+)\\b') >= 3, 'a word boundary');
    assert.ok(scan('\\b(?:spam|scam|fraud)\\b') >= 3, 'a group behind a word boundary');
    assert.ok(scan('[\\w.]+@[\\w.-]+\\.\\w{2,}') >= 5, 'a run of word characters backtracks at each position');
    const threeBranches = scan('\\+\\d{2}(?: \\d{3,})+|[\\w.]+@[\\w.-]+\\.\\p{L}{2,}|\\bDE\\d{2}(?: \\d{4}){4} \\d{2}\\b');
    assert.ok(threeBranches > scan('[\\w.]+@[\\w.-]+') && threeBranches >= 8, `alternatives add up: ${threeBranches}`);
    assert.ok(scan('cat|dog') > 10 * scan('cat'), 'literal alternatives have no prefix to skip to');
  });

  it('tells the longest text a pattern matches: quantifiers bound it, alternatives take the longest branch, anchors, boundaries and lookarounds match nothing; `*`, `+`, `{n,}` and back-references leave it unbounded', () => {
    assert.equal(longestMatch('^([A-Z]{4,8})(\\d{2})-([0-9A-Z]{4})$'), 15);
    assert.equal(longestMatch('a|bcd'), 3);
    assert.equal(longestMatch('(?:ab)?c{2,3}?'), 5);
    assert.equal(longestMatch('(a|bc){2}'), 4);
    assert.equal(longestMatch('[\\]x]{3}'), 3);
    assert.equal(longestMatch('(?<year>\\d{4})-(?P<month>\\d\\d)'), 7);
    assert.equal(longestMatch('\\b(?=abc)d(?<!x)\\u0041\\x41.'), 4);
    assert.equal(longestMatch('(?i)ab'), 2);
    for (const unbounded of ['\\w+', 'a*', 'a{2,}', '(a)\\1', '(?<n>x)\\k<n>', '(?P<n>x)(?P=n)']) assert.equal(longestMatch(unbounded), undefined, unbounded);
  });

  it('prices the regex module\'s fuzzy matching by the errors it allows (measured 160 ns a byte for one error of any kind, 80 for one substitution, growing with each further error), whatever the pattern\'s prefix; a pattern with interpolated text and no fuzzy constraint is an unknown one', () => {
    const scan = (pattern: string): number => patternCost(pattern, true).scan;
    const one = scan('(?:helium leak){e<=1}');
    assert.ok(one > 15 && one < 30, `{e<=1}: ${one}`);
    assert.ok(scan('(?:helium leak){e<=2}') > 2 * one && scan('(?:helium leak){e<=3}') > 2 * scan('(?:helium leak){e<=2}'), 'each further error costs ~3× more');
    assert.ok(scan('(?:helium leak){s<=1}') <= 0.5 * one, 'substitutions only cost half as much');
    assert.ok(scan('(?:helium leak){s<=3}') < scan('(?:helium leak){e<=2}'), 'and grow more slowly');
    assert.equal(scan('(?:helium leak){i<=1,d<=1}'), one, 'insertions and deletions priced as errors of any kind');
    assert.equal(scan('(?:helium leak){1<=e<=3}'), scan('(?:helium leak){e<3,s<=3}'), 'the upper bound of a range; `<` one fewer');
    assert.ok(scan('[A-Z]{2,3}-\\d{4}') < 5, 'a repeat count is not a constraint');
    assert.equal(scan(`(?:${INTERPOLATED_TEXT}){e<=1}`), one, 'an interpolated word under a constraint');
    assert.equal(scan(`^${INTERPOLATED_TEXT}-\\d+`), 1, 'interpolated text without a constraint: the calibrated pattern');
    assert.equal(patternCost('(?:helium leak){e<=1}').scan, patternCost('(?:helium leak)').scan, 're reads a constraint as text');
  });

  it('counts a match a word for a pattern that is one run of a broad class, and few for digits or a complex pattern', () => {
    assert.ok(Math.abs(patternCost('\\W+').matchesPerByte - 1 / 6) < 1e-9);
    assert.ok(Math.abs(patternCost('[^a-z0-9]+').matchesPerByte - 1 / 6) < 1e-9);
    assert.ok(patternCost('\\d+').matchesPerByte < 0.05);
    assert.ok(patternCost('\\s{2,}').matchesPerByte < 0.05);
    assert.equal(patternCost('\\b[a-z]+ (\\d+)\\b').matchesPerByte, 0);
  });

  it('prices a call by its literal pattern and a compiled pattern by the literal its name was bound to, in the module or the function', async () => {
    const source = [
      'import re',
      '',
      'NOTES = "call me on +44 20 7946 0958 or write to ops@example.org " * 40_000',
      'CONTACTS = re.compile(r"\\+\\d{2}(?: \\d{3,})+|[\\w.]+@[\\w.-]+\\.\\w{2,}|\\bGB\\d{2}\\b")',
      'INVOICE = re.compile(r"INV-(\\d{8})")',
      '',
      'def contacts(i):',
      '    return len(CONTACTS.findall(NOTES))',
      '',
      'def invoices(i):',
      '    return len(INVOICE.findall(NOTES))',
      '',
      'def words(i):',
      '    return len(re.split(r"\\W+", NOTES))',
      '',
      'def invoices_inline(i):',
      '    return len(re.findall(r"INV-(\\d{8})", NOTES))',
      '',
      'def local_pattern(i):',
      '    CONTACTS = re.compile(r"INV-(\\d{8})")',
      '    return len(CONTACTS.findall(NOTES))',
      '',
    ].join('\n');
    const reports = await analyzeTree({ 'jobs.py': source }, { python: null });
    const functions = new Map((reports.get('jobs.py')?.functions ?? []).map((f) => [f.qualname, f]));
    const seconds = (name: string): number => fn(functions, name).predicted?.seconds.sequential ?? 0;
    assert.ok(seconds('contacts') > 8 * seconds('invoices'), `${seconds('contacts')} vs ${seconds('invoices')}`);
    assert.ok(seconds('words') > 5 * seconds('invoices_inline'), `a split of every word builds a string a word: ${seconds('words')} vs ${seconds('invoices_inline')}`);
    assert.ok(Math.abs(seconds('invoices_inline') - seconds('invoices')) < 0.5 * seconds('invoices'));
    assert.ok(seconds('local_pattern') < seconds('contacts') / 8, 'the function\'s own binding of the name, not the module\'s');
    assert.equal(fn(functions, 'contacts').verdict, 'cpu');
  });
});
