import * as assert from 'node:assert/strict';
import { machineCalibration } from '../../src/core/cost/calibration';
import { analyzeModule, fn } from './helpers';

/**
 * An lxml element's methods (`get`, `findtext`, `find`) cost a few microseconds through their Python proxies
 * (`py.lxml_element_call`, calibrated), not the 10 µs prior of an unpriced call that holds the GIL: a walk over a
 * parsed document's records is priced by that constant, and a fetch followed by a short walk stays a wait.
 */
describe('lxml element methods: priced by their calibrated cost', () => {
  it('a loop of 30,000 element calls a task is priced at py.lxml_element_call each', async () => {
    const functions = await analyzeModule(
      [
        'from lxml import etree',
        '',
        'DOC = etree.fromstring(b"<rows><row id=\\"1\\"><name>a</name><email>b</email></row></rows>")',
        '',
        'def walk(i):',
        '    found = 0',
        '    for k in range(10_000):',
        '        row = DOC.find("row")',
        '        found += len(row.findtext("name")) + len(row.get("id"))',
        '    return found + i',
        '',
      ].join('\n'),
      { python: null },
    );
    const walk = fn(functions, 'walk');
    const expected = 8 * 30_000 * machineCalibration()['py.lxml_element_call'];
    const sequential = walk.predicted?.seconds.sequential ?? 0;
    assert.ok(sequential > 0.7 * expected && sequential < 1.6 * expected, `sequential ${sequential} s for 8 tasks, expected ~${expected.toFixed(3)} s`);
  });

  it('a fetch followed by a thousand records walked (3,000 element calls, ~4 ms) is still a wait (io)', async () => {
    const functions = await analyzeModule(
      [
        'import requests',
        'from lxml import etree',
        '',
        'def latest_claims(i):',
        '    resp = requests.get(f"http://claims.example/bordereau/{i}", timeout=30)',
        '    root = etree.fromstring(resp.content)',
        '    total = 0.0',
        '    for k in range(1_000):',
        '        claim = root.find("Claim")',
        '        total += float(claim.findtext("Incurred")) * float(claim.findtext("Ceded"))',
        '    return total',
        '',
      ].join('\n'),
      { python: null },
    );
    const claims = fn(functions, 'latest_claims');
    assert.equal(claims.verdict, 'io', claims.evidence.map((e) => e.reason).join(' | '));
  });
});
